export {
  verifyWebhook,
  WEBHOOK_EVENT_TYPES,
  type VerifyWebhookInput,
  type WebhookEvent,
  type WebhookEventType,
  type WebhookHeaders,
} from './verify.js';
export {
  createWebhookReceiver,
  type WebhookReceiver,
  type WebhookReceiverOptions,
  type NodeWebhookRequest,
  type NodeWebhookResponse,
} from './receiver.js';
