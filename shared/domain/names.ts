/**
 * Names as identity (docs/identity.md, "Subjects"): Unicode NFKC (full-width and compatibility forms folded, e.g.
 * `Ｐｏｌｉｃｙ` -> `Policy`, no-break space -> space), then lower-cased (`toLowerCase`,
 * locale-independent), then every run of white space (`\s`, Unicode-aware) collapsed to one space and
 * the ends trimmed. A change of case or spacing alone is therefore no rename. Policies and the groups
 * and filters their assignments name are told apart by names folded this way.
 */
export function normalizeName(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
}
