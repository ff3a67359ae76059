/**
 * Property tests draw fresh random seeds locally (and print any failing seed). Under CI they use
 * a fixed seed (override with KUBETWIN_FC_SEED) so that a landing never depends on luck; the
 * VOPR test adds a few fresh, printed seeds of its own.
 */
import fc from "fast-check";

const fixed = process.env["KUBETWIN_FC_SEED"] ?? (process.env["CI"] ? "20261123" : undefined);
if (fixed !== undefined) fc.configureGlobal({ seed: Number(fixed) });
