/**
 * True when `url` names this machine's loopback interface (`localhost`, `127.0.0.0/8`, `[::1]`): a
 * local engine or endpoint, reached with static dummy credentials so the SDK never walks the
 * credential chain (which could reach for instance metadata on the network).
 */
export function isLoopbackUrl(url: string | undefined): boolean {
  if (url === undefined) return false;
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return false;
  }
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
