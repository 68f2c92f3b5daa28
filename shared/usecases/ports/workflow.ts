/**
 * The ports that start work elsewhere without waiting for it: a BaselineCompare execution, a snapshot
 * capture, an inventory sync. Step Functions and Lambda implement them on AWS
 * (`shared/adapters/stepfunctions/`, `shared/adapters/lambda/`); the local stack runs the same work in
 * process.
 */

/** Starts one BaselineCompare execution (Step Functions on AWS, the local runner on one machine). */
export interface WorkflowStarter {
  start(input: { runId: string }, executionName: string): Promise<void>;
}

/** What a capture is asked to do: its run exists (queued) before the capture is started. */
export interface CaptureRequest {
  profileId: string;
  sourceTenantId: string;
  initiator: string;
  runId: string;
  activate: boolean;
}

/** Starts a capture without waiting for it (the port the API depends on). */
export interface CaptureStarter {
  start(req: CaptureRequest): Promise<void>;
}

/**
 * Runs an inventory sync of the tenant and, after it, starts the named compare (the InventorySync
 * function's `thenCompare`). Asynchronous: resolves once the sync has been requested.
 */
export interface InventorySyncTrigger {
  requestSync(req: {
    tenantId: string;
    workspaceId: string;
    initiator: string;
    thenCompare: { profileId: string; executionName: string };
  }): Promise<void>;
}
