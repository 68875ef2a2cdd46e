export const SERVER_PLACEHOLDER = true;
