/**
 * The replicated state machine a member applies committed entries to. Deterministic by contract:
 * the same entries in the same order give the same results and the same snapshot on every member.
 */
import type { Entry } from "../../raft/types.ts";

export interface StateMachine {
  /** Applies one committed normal entry (never the empty no-op); returns the client-visible result. */
  apply(entry: Entry): string;
  /** An image of everything applied so far (stored in a Raft snapshot). */
  snapshot(): string;
  /** Replaces the state by an image made by snapshot() (on restart or when a snapshot arrives). */
  restore(image: string): void;
}

/** A state machine with nothing in it: for stores that only need to know what committed. */
export class NullStateMachine implements StateMachine {
  apply(): string {
    return "";
  }
  snapshot(): string {
    return "";
  }
  restore(): void {}
}
