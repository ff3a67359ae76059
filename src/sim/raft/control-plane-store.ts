/**
 * The store the api server writes through: a real Raft group (RaftStore) or an ideal one
 * (IdealStore). Writes are opaque ids with a size; the api server keeps the objects itself and
 * only learns when (and whether) each write committed.
 */
export interface CommitListener {
  onCommitted(writeId: number, atMs: number): void;
  onWriteFailed(writeId: number, reason: string, atMs: number): void;
}

export interface ControlPlaneStore {
  /** Submit one write (opaque id + size). Exactly one of onCommitted/onWriteFailed is called later, via the engine. */
  propose(writeId: number, sizeBytes: number): void;
  /** True when reads/watches can be served now (a leader with a live quorum). */
  available(): boolean;
}
