// The panel's events on window, one shape for every error: `chathub:error` with {message, script, element}
// (element: the panel, null when there is none), and for token errors also an ErrorEvent, as the seed's listener
// expects. Messages start with "ChatHub operator panel: ".

/** Dispatches the error events; returns the message. */
export function reportError(what: string, script: HTMLScriptElement, element: HTMLElement | null, windowError = false): string {
  const message = 'ChatHub operator panel: ' + what;
  if (windowError) window.dispatchEvent(new ErrorEvent('error', { message, error: new Error(message) }));
  window.dispatchEvent(new CustomEvent('chathub:error', { detail: { message, script, element } }));
  return message;
}
