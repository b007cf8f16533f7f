/**
 * @module sandbox/cloudflare/cloudflare-faults
 * A programmatic fault switch for tests: the next N matching requests answer 429 (with
 * Retry-After) or 5xx. `afterApply` lets the write happen and then loses the response, the case
 * that turns a naive retry into a duplicate record.
 */

export interface FaultSpec {
  status: 429 | 500 | 502 | 503;
  /** How many matching requests fail. */
  times: number;
  /** Seconds, sent as Retry-After (429 only). */
  retryAfter?: number;
  /** Only these methods (default: all). */
  methods?: string[];
  /** Apply the request, then answer with the fault. */
  afterApply?: boolean;
}

export interface FaultSwitch {
  inject(fault: FaultSpec): void;
  clear(): void;
  /** Faults served so far, for assertions. */
  readonly served: number;
  /** The armed fault for this request, consuming one shot, or undefined. */
  take(method: string): FaultSpec | undefined;
}

export function createFaultSwitch(): FaultSwitch {
  const armed: Array<FaultSpec & { left: number }> = [];
  let served = 0;
  return {
    inject: (fault) => void armed.push({ ...fault, left: fault.times }),
    clear: () => void armed.splice(0),
    get served() {
      return served;
    },
    take(method) {
      const fault = armed.find((f) => f.left > 0 && (!f.methods || f.methods.includes(method)));
      if (!fault) return undefined;
      fault.left--;
      served++;
      return fault;
    },
  };
}

export function faultBody(status: number): {
  success: false;
  errors: Array<{ code: number; message: string }>;
  messages: [];
  result: null;
} {
  const error =
    status === 429
      ? { code: 1015, message: 'You are being rate limited. Please wait and consider throttling your request speed' }
      : { code: 1000, message: 'An internal error occurred' };
  return { success: false, errors: [error], messages: [], result: null };
}
