/**
 * Faults every fake can inject into any call: throttling, a server error (5xx) or a timeout (no
 * answer until the client gives up), once or several calls in a row, and either before the call
 * takes effect (refused) or after (it happened, but the answer is lost: the case a client cannot
 * tell from a refusal, and the one a re-run must converge from).
 *
 * A fake asks {@link FaultInjector.take} for each call it has accepted (signature and model checks
 * passed) and, when a fault comes back, either answers it at once (`before`) or lets the call run
 * and replaces its answer ({@link divert}, `after`). Throttling is always `before`: it is a refusal.
 */
import type * as http from "http";

export type FaultKind = "throttling" | "server" | "timeout";

/** One planned fault. */
export interface Fault {
  /** The action (API operation) whose calls fail. */
  readonly action: string;
  readonly kind: FaultKind;
  /** `after`: the call takes effect and its answer is lost (5xx or timeout). @default "before" */
  readonly when?: "before" | "after";
  /** The first call of `action` that fails (1-based, counted from when the fault is planned). @default 1 */
  readonly from?: number;
  /** How many calls in a row fail. @default 1 */
  readonly times?: number;
}

/** A fault that hit a call. */
export interface FiredFault {
  readonly action: string;
  readonly kind: FaultKind;
  readonly when: "before" | "after";
  /** Which call of the action it was (1-based). */
  readonly call: number;
}

/** The faults planned for one fake, and those that fired. */
export class FaultInjector {
  private readonly planned: Fault[] = [];
  private readonly calls = new Map<string, number>();
  readonly fired: FiredFault[] = [];
  /** Requests held without an answer (timeouts), released when the fake stops. */
  readonly held = new Set<http.ServerResponse>();

  /** Plans a fault (counting the action's calls from now). */
  plan(f: Fault): void {
    this.calls.set(f.action, 0);
    this.planned.push(f);
  }

  /** Forgets planned faults (those that fired stay listed). */
  clear(): void {
    this.planned.length = 0;
  }

  /** The fault for this call of `action`, if one is planned for it. */
  take(action: string): { kind: FaultKind; when: "before" | "after" } | undefined {
    const n = (this.calls.get(action) ?? 0) + 1;
    this.calls.set(action, n);
    const f = this.planned.find((p) => p.action === action && n >= (p.from ?? 1) && n < (p.from ?? 1) + (p.times ?? 1));
    if (!f) return undefined;
    const when = f.kind === "throttling" ? "before" : (f.when ?? "before");
    this.fired.push({ action, kind: f.kind, when, call: n });
    return { kind: f.kind, when };
  }

  /** Keeps a request unanswered (the client's read timeout ends it). */
  hold(res: http.ServerResponse): void {
    this.held.add(res);
    res.on("close", () => this.held.delete(res));
  }

  /** Drops every held request (when the fake stops). */
  release(): void {
    for (const res of this.held) res.destroy();
    this.held.clear();
  }
}

/** How a fake answers a fault: its own error format, with the status and code of the kind. */
export type FaultAnswer = (status: number, code: string, message: string) => void;

/** The status and code a kind is answered with, per API family (the codes the clients classify). */
export const FAULT_CODES: Readonly<Record<"openapi" | "rest", Readonly<Record<"throttling" | "server", { status: number; code: string; message: string }>>>> = {
  // OpenAPI gateway (DataWorks, DTS, Flink, BSS): `Throttling.User` as the API reference lists it; a 500 `InternalError`.
  openapi: {
    throttling: { status: 400, code: "Throttling.User", message: "Request was denied due to user flow control." },
    server: { status: 500, code: "InternalError", message: "The request processing has failed due to some unknown error, exception or failure." },
  },
  // SLS, MaxCompute, DataHub: HTTP 429 (the clients read the status), a 500.
  rest: {
    throttling: { status: 429, code: "Throttling", message: "too many requests" },
    server: { status: 500, code: "InternalServerError", message: "internal server error" },
  },
};

/** Answers a `before` fault now: the error, or nothing at all (timeout). */
export function answerFault(faults: FaultInjector, res: http.ServerResponse, kind: FaultKind, family: "openapi" | "rest", answer: FaultAnswer): void {
  if (kind === "timeout") return faults.hold(res);
  const c = FAULT_CODES[family][kind];
  answer(c.status, c.code, c.message);
}

/**
 * An `after` fault: the call runs, and whatever it answers is replaced by the fault (a 5xx, or
 * no answer at all). Call before the fake handles the request.
 */
export function divert(faults: FaultInjector, res: http.ServerResponse, kind: FaultKind, family: "openapi" | "rest", answer: FaultAnswer): void {
  const writeHead = res.writeHead.bind(res);
  const end = res.end.bind(res);
  res.writeHead = (() => res) as typeof res.writeHead;
  res.end = (() => {
    res.writeHead = writeHead;
    res.end = end;
    answerFault(faults, res, kind, family, answer);
    return res;
  }) as typeof res.end;
}

/** Applies a fault the injector gives for this call: true when the fake must not answer itself (`before`). */
export function applyFault(faults: FaultInjector, action: string, res: http.ServerResponse, family: "openapi" | "rest", answer: FaultAnswer): boolean {
  const f = faults.take(action);
  if (!f) return false;
  if (f.when === "before") {
    answerFault(faults, res, f.kind, family, answer);
    return true;
  }
  divert(faults, res, f.kind, family, answer);
  return false;
}
