/**
 * Who may call the local host. Identity there is the x-openid header, so any request the host
 * accepts can act as any user (platform admins included). A browser on the same machine is the
 * threat: a web page can POST to 127.0.0.1 (a cross-site `text/plain` POST needs no preflight),
 * and DNS rebinding gives an attacker's domain the loopback address, so its page's requests reach
 * the host with a foreign Host header. So, unless ALLOW_REMOTE opted out of loopback-only:
 * - the Host header must name a loopback address (rebinding sends the attacker's name);
 * - the peer must be a loopback address (a port forward or proxy from elsewhere is refused);
 * and always:
 * - a request carrying an Origin (every browser POST does; wx.request and curl send none) must
 *   come from the host's own origin: the host serves no web page, so any other page is refused;
 * - `Sec-Fetch-Site: cross-site` is refused too (browsers that send it).
 */
import { isLoopback } from './loopback';

export interface RequestFacts {
  host: string | undefined;
  origin: string | undefined;
  secFetchSite: string | undefined;
  peer: string | undefined;
}

/** The hostname of a Host header ("127.0.0.1:3000", "[::1]:3000", "localhost"). */
function hostnameOf(host: string): string {
  const m = /^(\[[^\]]+\]|[^:]+)(?::\d+)?$/.exec(host.trim());
  return m ? m[1] : '';
}

/** Why the request is refused (a message a developer can act on), or null when it may proceed. */
export function refusal(req: RequestFacts, allowRemote: boolean): string | null {
  if (!allowRemote) {
    if (!req.host || !isLoopback(hostnameOf(req.host)))
      return `本地服务只接受发往本机地址的请求（Host: ${req.host ?? '无'}）；请用 http://127.0.0.1 访问`;
    if (!req.peer || !isLoopback(req.peer))
      return '本地服务只接受来自本机的连接（如需远程访问，请设置 ALLOW_REMOTE=1，并知悉任何人都能冒充用户）';
  }
  if (req.origin !== undefined && req.origin !== 'null') {
    let own = false;
    try {
      own = new URL(req.origin).host === (req.host ?? '').trim().toLowerCase();
    } catch {
      own = false;
    }
    if (!own) return `本地服务不接受网页跨站请求（Origin: ${req.origin}）`;
  } else if (req.origin === 'null') {
    return '本地服务不接受来自沙箱页面或文件页面的请求（Origin: null）';
  }
  if (req.secFetchSite === 'cross-site') return '本地服务不接受网页跨站请求';
  return null;
}
