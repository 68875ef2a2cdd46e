/** Resolves once SIGINT or SIGTERM arrives (or `stop` is aborted), then stops listening for them. */
export function nextSignal(stop?: AbortSignal): Promise<NodeJS.Signals | undefined> {
  return new Promise((resolve) => {
    const done = (signal: NodeJS.Signals | undefined): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      stop?.removeEventListener('abort', onStop);
      resolve(signal);
    };
    const onSignal = (signal: NodeJS.Signals): void => {
      done(signal);
    };
    const onStop = (): void => {
      done(undefined);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    if (stop?.aborted === true) done(undefined);
    else stop?.addEventListener('abort', onStop, { once: true });
  });
}
