/**
 * Redaction of Graph objects kept in Graph's own shape (the `drift sync` export): every value the
 * policy type declares a secret (docs/normalization.md, "Secrets": passwords, pre-shared keys, certificates, encrypted
 * OMA-URI values, script content) is replaced, at any depth, by its keyed digest; nothing else changes.
 * Conditions of a secret rule (`when`) are read on the object holding the property, as the normalizer
 * does, so an export and the normalized inventory agree on what is secret. A value that already is a
 * digest stays as it is, so redacting twice changes nothing.
 */
import type { RegistryTypeKey } from '../../domain/model.js';
import { policyTypeDefinition, type SecretRule } from '../../domain/registry.js';
import { isSecretDigest, type SecretDigester } from '../../domain/secrets.js';

export function redactGraphObject(type: RegistryTypeKey, obj: Record<string, unknown>, digester: SecretDigester): Record<string, unknown> {
  const rules = new Map<string, SecretRule[]>();
  for (const rule of policyTypeDefinition(type).secretPaths) {
    const list = rules.get(rule.key) ?? [];
    list.push(rule);
    rules.set(rule.key, list);
  }
  return redactValue(obj, rules, digester) as Record<string, unknown>;
}

function redactValue(value: unknown, rules: Map<string, SecretRule[]>, digester: SecretDigester): unknown {
  if (Array.isArray(value)) return value.map((item) => redactValue(item, rules, digester));
  if (value === null || typeof value !== 'object') return value;
  const holder = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(holder)) {
    const keyRules = rules.get(key);
    const redact = keyRules !== undefined && inner !== null && inner !== undefined && applies(keyRules, holder);
    const next = redact ? (isSecretDigest(inner) ? inner : digester.digest(inner)) : redactValue(inner, rules, digester);
    Object.defineProperty(out, key, { value: next, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function applies(rules: readonly SecretRule[], holder: Record<string, unknown>): boolean {
  return rules.some((rule) => {
    if (rule.when === undefined) return true;
    const found = holder[rule.when.key];
    return rule.when.equals === undefined ? found !== undefined && found !== null : found === rule.when.equals;
  });
}
