import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (token: string): Buffer => createHash('sha256').update(token).digest();

/**
 * Bearer tokens of the operators allowed to change control data (CONTROL_API_TOKENS,
 * `name=token,name=token`). Only digests are kept and compared in constant time; the name is what
 * the audit trail records.
 */
export class OperatorTokens {
  private constructor(private readonly digests: ReadonlyMap<string, Buffer>) {}

  static parse(spec: string | undefined): OperatorTokens {
    const digests = new Map<string, Buffer>();
    for (const entry of (spec ?? '').split(',').map((e) => e.trim()).filter(Boolean)) {
      const at = entry.indexOf('=');
      const name = entry.slice(0, at);
      if (at <= 0 || at === entry.length - 1 || !/^[A-Za-z0-9._@-]{1,64}$/.test(name)) {
        throw new Error(`CONTROL_API_TOKENS entry "${entry.slice(0, Math.max(at, 0)) || '…'}=…" must be name=token, the name letters, digits, . _ @ -`);
      }
      digests.set(name, digest(entry.slice(at + 1)));
    }
    return new OperatorTokens(digests);
  }

  get configured(): boolean {
    return this.digests.size > 0;
  }

  /** The operator this bearer token belongs to, or undefined. */
  operatorOf(token: string): string | undefined {
    const presented = digest(token);
    let found: string | undefined;
    for (const [name, expected] of this.digests) if (timingSafeEqual(presented, expected)) found = name;
    return found;
  }
}
