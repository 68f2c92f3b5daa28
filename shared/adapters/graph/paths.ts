/** Building and checking Graph URLs: query strings, `{id}` templates, concrete collections, nextLinks. */
import { ForbiddenGraphRequestError, GraphProtocolError } from './errors.js';
import type { GraphApiVersion } from './contract.js';

/**
 * Functions that return secrets in clear. The inventory never calls them: encrypted OMA-URI values
 * stay encrypted (only `secretReferenceValueId` / `isEncrypted` are read).
 */
const CLEAR_SECRET_ENDPOINTS = ['getomasettingplaintextvalue'];

export function assertNoClearSecretEndpoint(pathOrUrl: string): void {
  const lower = pathOrUrl.toLowerCase();
  for (const endpoint of CLEAR_SECRET_ENDPOINTS) {
    if (lower.includes(endpoint)) throw new ForbiddenGraphRequestError(endpoint);
  }
}

/** `?$expand=a,b&$top=10`: keys keep their `$` (required on v1.0); values are percent-encoded. */
export function buildQuery(query: Record<string, string> | undefined): string {
  if (!query) return '';
  const parts = Object.entries(query).map(
    ([key, value]) => `${encodeQueryPart(key)}=${encodeQueryPart(value)}`,
  );
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}

function encodeQueryPart(part: string): string {
  return encodeURIComponent(part).replace(/%24/g, '$').replace(/%2C/gi, ',');
}

/** Replaces every `{id}` in a path template by the URL-encoded object id. */
export function fillTemplate(template: string, id: string): string {
  return template.replaceAll('{id}', encodeURIComponent(id));
}

/**
 * The collection of a concrete `@odata.type`: `#microsoft.graph.iosManagedAppProtection` ->
 * `iosManagedAppProtections`, `#microsoft.graph.windowsInformationProtectionPolicy` ->
 * `windowsInformationProtectionPolicies` (Graph's entity-set naming: camel-case type name, plural).
 */
export function concreteCollectionName(odataType: string): string {
  const name = odataType.replace(/^#?microsoft\.graph\./, '');
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name)) {
    throw new GraphProtocolError('unusable @odata.type for a concrete collection');
  }
  if (/[^aeiou]y$/i.test(name)) return `${name.slice(0, -1)}ies`;
  return `${name}s`;
}

/** `https://graph.microsoft.com` + `beta` + `/deviceManagement/x` + query. */
export function graphUrl(
  baseUrl: string,
  version: GraphApiVersion,
  path: string,
  query?: Record<string, string>,
): string {
  const cleanPath = path.startsWith('/') ? path : `/${path}`;
  return `${baseUrl}/${version}${cleanPath}${buildQuery(query)}`;
}

/**
 * Checks that an `@odata.nextLink` stays on the configured Graph host (a token is sent with it) and
 * returns it as an absolute URL.
 */
export function checkNextLink(baseUrl: string, nextLink: unknown): string {
  if (typeof nextLink !== 'string') throw new GraphProtocolError('nextLink is not a string');
  let parsed: URL;
  try {
    parsed = new URL(nextLink);
  } catch {
    throw new GraphProtocolError('nextLink is not an absolute URL');
  }
  if (parsed.origin !== new URL(baseUrl).origin) {
    throw new GraphProtocolError('nextLink leaves the configured Graph host');
  }
  assertNoClearSecretEndpoint(parsed.pathname);
  return parsed.href;
}

/**
 * The form of an absolute Graph URL that a `$batch` request of `version` accepts: the URL without
 * `https://host/{version}` (e.g. `/deviceManagement/...?$skiptoken=...`).
 */
export function batchRelativeUrl(baseUrl: string, version: GraphApiVersion, absoluteUrl: string): string {
  const prefix = `${baseUrl}/${version}/`;
  if (!absoluteUrl.startsWith(prefix)) {
    throw new GraphProtocolError(`nextLink is not under /${version}`);
  }
  return absoluteUrl.slice(prefix.length - 1);
}
