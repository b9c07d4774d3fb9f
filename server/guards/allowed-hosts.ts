/**
 * DNS rebinding: a page on evil.example can make its own name resolve to 127.0.0.1 and then
 * read a loopback sandbox as "same origin". Its requests still say `Host: evil.example`, so a
 * sandbox bound to loopback answers only requests addressed to a loopback name (or to a name
 * in SANDBOX_ALLOWED_HOSTS, or SANDBOX_PUBLIC_URL's). Bound to every interface (a container),
 * service names are unknown in advance and every Host is served, unless names are listed.
 */
import type { RequestHandler } from 'express';
import type { SandboxConfig } from '../config';
import { errors } from '../errors/catalogue';

/** localhost, anything.localhost (RFC 6761), 127.0.0.0/8, and ::1. */
export function isLoopbackName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return name === 'localhost' || name.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(name) || name === '::1';
}

/** The hostname of a Host header, without its port (IPv6 keeps its address, brackets dropped). */
export function hostnameOf(host: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(host);
  if (bracketed) return bracketed[1]!.toLowerCase();
  return host.replace(/:\d+$/, '').toLowerCase();
}

/** The Host names a sandbox answers, or null when it answers every one. */
export function allowedHostNames(config: Pick<SandboxConfig, 'host' | 'allowedHosts' | 'publicUrl'>): ((hostname: string) => boolean) | null {
  if (config.allowedHosts.includes('*')) return null;
  const listed = new Set(config.allowedHosts.map((h) => hostnameOf(h)));
  if (config.publicUrl) listed.add(hostnameOf(new URL(config.publicUrl).host));
  if (!isLoopbackName(config.host) && config.allowedHosts.length === 0) return null;
  return (hostname) => isLoopbackName(hostname) || listed.has(hostname);
}

/** Probes reach these by an address (a pod IP) nobody lists; they reveal nothing. */
const PROBES = new Set(['/__sandbox/health', '/__sandbox/ready']);

export function requireAllowedHost(config: SandboxConfig): RequestHandler {
  const allowed = allowedHostNames(config);
  return (req, _res, next) => {
    const host = req.headers.host;
    // No Host at all is HTTP/1.0 (1.1 without one was refused before), never a browser; only names are checked.
    if (allowed && host !== undefined && !PROBES.has(req.path) && !allowed(hostnameOf(host))) throw errors.hostNotAllowed(host);
    next();
  };
}
