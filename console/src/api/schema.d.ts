/**
 * Generated from the API's OpenAPI document (functions/api/openapi.ts) by `npm run console:api`.
 * Do not edit: a test fails when this file differs from what the API describes.
 */

export interface paths {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness of the API */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/baseline-profiles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the workspace's baseline profiles, newest first
         * @description Role: reader or stronger.
         */
        get: operations["listProfiles"];
        put?: never;
        /**
         * Create a baseline profile in the caller's workspace
         * @description Role: admin or stronger.
         */
        post: operations["createProfile"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/baseline-profiles/{profileId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a baseline profile
         * @description Role: reader or stronger.
         */
        get: operations["getProfile"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Update scope, severity mapping, alertMinSeverity, autoResolve, versionLabel, name or status
         * @description Role: admin or stronger.
         */
        patch: operations["updateProfile"];
        trace?: never;
    };
    "/baseline-profiles/{profileId}/snapshots": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List a profile's snapshots, newest first
         * @description Role: reader or stronger.
         */
        get: operations["listSnapshots"];
        put?: never;
        /**
         * Capture a snapshot of the profile's scope from a source tenant (runs asynchronously)
         * @description Role: admin or stronger.
         */
        post: operations["captureSnapshot"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/baseline-profiles/{profileId}/snapshots/{snapshotId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a snapshot with its item counts per policy type
         * @description Role: reader or stronger.
         */
        get: operations["getSnapshot"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/baseline-profiles/{profileId}/assignments/{tenantId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Assign a tenant to the profile (idempotent on profile and tenant)
         * @description Role: admin or stronger.
         */
        put: operations["assignTenant"];
        post?: never;
        /**
         * Unassign a tenant from the profile (idempotent)
         * @description Role: admin or stronger.
         */
        delete: operations["unassignTenant"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/baseline-profiles/{profileId}/assignments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the tenants assigned to the profile (those the caller may see)
         * @description Role: reader or stronger.
         */
        get: operations["listProfileAssignments"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tenants/{tenantId}/assignments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the profiles a tenant is assigned to (in the caller's workspace)
         * @description Role: reader or stronger.
         */
        get: operations["listTenantAssignments"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tenants/{tenantId}/inventory-syncs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Upload a tenant's inventory in pages of one sync run (completes on the page marked last)
         * @description Role: operator or stronger.
         */
        post: operations["ingestInventoryPage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tenants/{tenantId}/baseline-compares": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Compare the tenant with the profile's active snapshot (or the one named)
         * @description Role: operator or stronger.
         */
        post: operations["startCompare"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/operation-runs/{runId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get an operation run (sync, capture or compare)
         * @description Role: reader or stronger.
         */
        get: operations["getRun"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tenants/{tenantId}/operation-runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List a tenant's operation runs, newest first
         * @description Role: reader or stronger.
         */
        get: operations["listRuns"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tenants/{tenantId}/findings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List a tenant's findings, newest lastSeenAt first (without evidence)
         * @description Role: reader or stronger.
         */
        get: operations["listFindings"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tenants/{tenantId}/findings/{fingerprint}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a finding with its evidence
         * @description Role: reader or stronger.
         */
        get: operations["getFinding"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tenants/{tenantId}/findings/{fingerprint}/transitions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Move a finding (design 2.8 moves only; closed and risk_accepted need a reason; risk_accepted pins the accepted value, optionally until expiresAt)
         * @description Role: operator or stronger.
         */
        post: operations["transitionFinding"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tenants/{tenantId}/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The audit trail of a tenant (entries of the caller's workspace), newest first
         * @description Role: reader or stronger.
         */
        get: operations["listTenantAudit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The audit trail of the caller's workspace, newest first
         * @description Role: reader or stronger.
         */
        get: operations["listWorkspaceAudit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tenants/{tenantId}/group-mappings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The tenant's explicit group mappings (baseline group -> this tenant's group)
         * @description Role: reader or stronger.
         */
        get: operations["getGroupMappings"];
        /**
         * Replace the tenant's explicit group mappings (audited)
         * @description Role: operator or stronger.
         */
        put: operations["putGroupMappings"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tenants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The caller's tenants (those of the token) with their display names, by name
         * @description Role: reader or stronger.
         */
        get: operations["listTenants"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tenants/{tenantId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Give a tenant the display name people recognise
         * @description Role: admin or stronger.
         */
        put: operations["renameTenant"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the workspace's webhook destinations (origins only, never a secret)
         * @description Role: admin or stronger.
         */
        get: operations["listWebhooks"];
        put?: never;
        /**
         * Add a webhook destination to the caller's workspace; the answer carries its signing secret, shown only once
         * @description Role: admin or stronger.
         */
        post: operations["createWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/{webhookId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove a webhook destination (no further deliveries; its secret is gone with it)
         * @description Role: admin or stronger.
         */
        delete: operations["deleteWebhook"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This API as an OpenAPI 3.1 document */
        get: operations["getOpenApiDocument"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Health: {
            /** @enum {string} */
            status: "ok";
            /** Format: date-time */
            time: string;
        };
        /** @description RFC 9457 problem details (application/problem+json). */
        Problem: {
            /** @description A stable URI naming the kind of problem. */
            type: string;
            title: string;
            status: number;
            detail?: string;
            instance?: string;
            requestId?: string;
            correlationId?: string;
            errors?: {
                path: string;
                message: string;
            }[];
            activeRunId?: string;
            allowed?: string[];
        };
        BaselineProfile: {
            id: string;
            workspaceId: string;
            name: string;
            description?: string;
            versionLabel?: string;
            status: components["schemas"]["ProfileStatus"];
            scope: {
                policy_types: string[];
                foundation_types: string[];
            };
            activeSnapshotId?: string;
            severityMapping: {
                [key: string]: components["schemas"]["Severity"];
            };
            alertMinSeverity: components["schemas"]["Severity"];
            autoResolve: boolean;
            /** @description Assignments compared (absent on profiles written before: on). */
            compareAssignments?: boolean;
            createdBy: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
        /** @enum {string} */
        ProfileStatus: "draft" | "active" | "archived";
        /** @enum {string} */
        Severity: "low" | "medium" | "high" | "critical";
        CreateProfileRequest: {
            name: string;
            description?: string;
            versionLabel?: string;
            /**
             * @default draft
             * @enum {string}
             */
            status: "draft" | "active";
            scope?: components["schemas"]["ProfileScope"];
            severityMapping?: components["schemas"]["SeverityMapping"];
            alertMinSeverity?: components["schemas"]["Severity"];
            /** @default true */
            autoResolve: boolean;
            /**
             * @description Assignments are a compared dimension of drift (default on).
             * @default true
             */
            compareAssignments: boolean;
        };
        /**
         * @description Empty policy_types = every policy type; empty foundation_types = none.
         * @default {
         *       "policy_types": [],
         *       "foundation_types": []
         *     }
         */
        ProfileScope: {
            /** @default [] */
            policy_types: components["schemas"]["PolicyType"][];
            /** @default [] */
            foundation_types: components["schemas"]["FoundationType"][];
        };
        /**
         * @description A policy type of the registry.
         * @enum {string}
         */
        PolicyType: "deviceConfiguration" | "windowsUpdateRing" | "deviceCompliancePolicy" | "compliancePolicy" | "settingsCatalogPolicy" | "endpointSecurityPolicy" | "securityBaselinePolicy" | "securityBaselineIntent" | "administrativeTemplate" | "appProtectionPolicy" | "mobileAppConfiguration" | "targetedManagedAppConfiguration" | "conditionalAccessPolicy" | "autopilotDeploymentProfile" | "enrollmentStatusPage" | "enrollmentRestriction" | "enrollmentLimit" | "enrollmentConfiguration" | "featureUpdateProfile" | "qualityUpdateProfile" | "driverUpdateProfile" | "powershellScript" | "shellScript";
        /**
         * @description A foundation type of the registry.
         * @enum {string}
         */
        FoundationType: "roleScopeTag" | "assignmentFilter" | "notificationMessageTemplate";
        /** @description Severity per change type; an absent one keeps its default (missing high, different medium, unexpected low). */
        SeverityMapping: {
            missing_policy?: components["schemas"]["Severity"];
            unexpected_policy?: components["schemas"]["Severity"];
            different_version?: components["schemas"]["Severity"];
        };
        BaselineProfilePage: {
            items: components["schemas"]["BaselineProfile"][];
            /** @description Present when more items may follow. */
            nextCursor?: string;
        };
        /** @description Status moves: draft <-> active, active -> archived (archived is final). */
        UpdateProfileRequest: {
            name?: string;
            description?: string;
            versionLabel?: string;
            status?: components["schemas"]["ProfileStatus"];
            scope?: components["schemas"]["ProfileScope"];
            severityMapping?: components["schemas"]["SeverityMapping"];
            alertMinSeverity?: components["schemas"]["Severity"];
            autoResolve?: boolean;
            compareAssignments?: boolean;
        };
        AcceptedRun: {
            runId: string;
        };
        CaptureSnapshotRequest: {
            /** @description A tenant id (Entra tenant id or the portal's tenant key). */
            sourceTenantId: string;
            /**
             * @description Make the captured snapshot the profile's active one (default true).
             * @default true
             */
            activate: boolean;
        };
        BaselineSnapshotPage: {
            items: components["schemas"]["BaselineSnapshot"][];
            /** @description Present when more items may follow. */
            nextCursor?: string;
        };
        BaselineSnapshot: {
            id: string;
            profileId: string;
            /** @enum {string} */
            status: "building" | "complete" | "failed";
            /** Format: date-time */
            capturedAt: string;
            identityHash: string;
            itemCount: number;
            operationRunId: string;
            /** @description Items per policy type. */
            itemCounts: {
                [key: string]: number;
            };
        };
        Assignment: {
            profileId: string;
            tenantId: string;
            workspaceId: string;
            scopeOverride?: {
                policy_types: string[];
                foundation_types: string[];
            };
            /** Format: date-time */
            assignedAt: string;
            assignedBy: string;
        };
        /** @description The override, when given, replaces the profile scope for this tenant. */
        AssignTenantRequest: {
            scopeOverride?: components["schemas"]["ProfileScope"];
        };
        AssignmentList: {
            items: components["schemas"]["Assignment"][];
        };
        InventoryPageResult: {
            runId: string;
            /** @enum {string} */
            status: "receiving" | "completed";
            pagesReceived: number;
            outcome?: string;
            coverage?: {
                [key: string]: unknown;
            };
        };
        InventoryPage: {
            /** @description The sync this page belongs to; absent on page 1 (creates the sync). */
            runId?: string;
            pageNumber: number;
            /** @description True on the page that completes the sync. */
            last: boolean;
            /** @default {} */
            items: {
                deviceConfiguration?: {
                    [key: string]: unknown;
                }[];
                windowsUpdateRing?: {
                    [key: string]: unknown;
                }[];
                deviceCompliancePolicy?: {
                    [key: string]: unknown;
                }[];
                compliancePolicy?: {
                    [key: string]: unknown;
                }[];
                settingsCatalogPolicy?: {
                    [key: string]: unknown;
                }[];
                endpointSecurityPolicy?: {
                    [key: string]: unknown;
                }[];
                securityBaselinePolicy?: {
                    [key: string]: unknown;
                }[];
                securityBaselineIntent?: {
                    [key: string]: unknown;
                }[];
                administrativeTemplate?: {
                    [key: string]: unknown;
                }[];
                appProtectionPolicy?: {
                    [key: string]: unknown;
                }[];
                mobileAppConfiguration?: {
                    [key: string]: unknown;
                }[];
                targetedManagedAppConfiguration?: {
                    [key: string]: unknown;
                }[];
                conditionalAccessPolicy?: {
                    [key: string]: unknown;
                }[];
                autopilotDeploymentProfile?: {
                    [key: string]: unknown;
                }[];
                enrollmentStatusPage?: {
                    [key: string]: unknown;
                }[];
                enrollmentRestriction?: {
                    [key: string]: unknown;
                }[];
                enrollmentLimit?: {
                    [key: string]: unknown;
                }[];
                enrollmentConfiguration?: {
                    [key: string]: unknown;
                }[];
                featureUpdateProfile?: {
                    [key: string]: unknown;
                }[];
                qualityUpdateProfile?: {
                    [key: string]: unknown;
                }[];
                driverUpdateProfile?: {
                    [key: string]: unknown;
                }[];
                powershellScript?: {
                    [key: string]: unknown;
                }[];
                shellScript?: {
                    [key: string]: unknown;
                }[];
                roleScopeTag?: {
                    [key: string]: unknown;
                }[];
                assignmentFilter?: {
                    [key: string]: unknown;
                }[];
                notificationMessageTemplate?: {
                    [key: string]: unknown;
                }[];
            };
            coverage?: components["schemas"]["InventoryCoverage"];
        };
        /** @description Per type: did the caller read it completely? Failed types are never applied. */
        InventoryCoverage: {
            /** @default {} */
            policy_types: {
                deviceConfiguration?: {
                    /** @enum {string} */
                    status: "succeeded" | "failed";
                    item_count?: number;
                    error?: string;
                };
                windowsUpdateRing?: {
                    /** @enum {string} */
                    status: "succeeded" | "failed";
                    item_count?: number;
                    error?: string;
                };
                deviceCompliancePolicy?: {
                    /** @enum {string} */
                    status: "succeeded" | "failed";
                    item_count?: number;
                    error?: string;
                };
                compliancePolicy?: {
                    /** @enum {string} */
                    status: "succeeded" | "failed";
                    item_count?: number;
                    error?: string;
                };
                settingsCatalogPolicy?: {
                    /** @enum {string} */
                    status: "succeeded" | "failed";
                    item_count?: number;
                    error?: string;
                };
                endpointSecurityPolicy?: {
                    /** @enum {string} */
                    status: "succeeded" | "failed";
                    item_count?: number;
                    error?: string;
                };
                securityBaselinePolicy?: {
                    /** @enum {string} */
                    status: "succeeded" | "failed";
                    item_count?: number;
                    error?: string;
                };
                securityBaselineIntent?: {
                    /** @enum {string} */
                    status: "succeeded" | "failed";
                    item_count?: number;
                    error?: string;
                };
                administrativeTemplate?: {
                    /** @enum {string} */
                    status: "succeeded" | "failed";
                    item_count?: number;
                    error?: string;
                };
                appProtectionPolicy?: {
                    /** @enum {string} */
                    status: "succeeded" | "failed";
                    item_count?: number;
                    error?: string;
                };
                mobileAppConfiguration?: {
                    /** @enum {string} */
                    status: "succeeded" | "failed";
                    item_count?: number;
                    error?: string;
                };
                targetedManagedAppConfiguration?: {
                    /** @enum {string} */
                    status: "succeeded" | "failed";
                    item_count?: number;
                    error?: string;
                };
                conditionalAccessPolicy?: {
                    /** @enum {string} */
                    status: "succeeded" | "failed";
                    item_count?: number;
                    error?: string;
                };
                autopilotDeploymentProfile?: {
                    /** @enum {string} */
                    status: "succeeded" | "failed";
                    item_count?: number;
                    error?: string;
                };
                enrollmentStatusPage?: {
                    /** @enum {string} */
                    status: "succeeded" | "failed";
                    item_count?: number;
                    error?: string;
                };
                enrollmentRestriction?: {
                    /** @enum {string} */
                    status: "succeeded" | "failed";
                    item_count?: number;
                    error?: string;
                };
                enrollmentLimit?: {
                    /** @enum {string} */
                    status: "succeeded" | "failed";
                    item_count?: number;
                    error?: string;
                };
                enrollmentConfiguration?: {
                    /** @enum {string} */
                    status: "succeeded" | "failed";
                    item_count?: number;
                    error?: string;
                };
                featureUpdateProfile?: {
                    /** @enum {string} */
                    status: "succeeded" | "failed";
                    item_count?: number;
                    error?: string;
                };
                qualityUpdateProfile?: {
                    /** @enum {string} */
                    status: "succeeded" | "failed";
                    item_count?: number;
                    error?: string;
                };
                driverUpdateProfile?: {
                    /** @enum {string} */
                    status: "succeeded" | "failed";
                    item_count?: number;
                    error?: string;
                };
                powershellScript?: {
                    /** @enum {string} */
                    status: "succeeded" | "failed";
                    item_count?: number;
                    error?: string;
                };
                shellScript?: {
                    /** @enum {string} */
                    status: "succeeded" | "failed";
                    item_count?: number;
                    error?: string;
                };
            };
            /** @default {} */
            foundation_types: {
                roleScopeTag?: {
                    /** @enum {string} */
                    status: "succeeded" | "failed";
                    item_count?: number;
                    error?: string;
                };
                assignmentFilter?: {
                    /** @enum {string} */
                    status: "succeeded" | "failed";
                    item_count?: number;
                    error?: string;
                };
                notificationMessageTemplate?: {
                    /** @enum {string} */
                    status: "succeeded" | "failed";
                    item_count?: number;
                    error?: string;
                };
            };
        };
        StartCompareRequest: {
            profileId: string;
            /** @description Default: the profile's active snapshot. */
            snapshotId?: string;
        };
        OperationRun: {
            id: string;
            tenantId: string;
            workspaceId?: string;
            type: components["schemas"]["OperationRunType"];
            /** @enum {string} */
            status: "queued" | "running" | "completed";
            /** @enum {string} */
            outcome: "pending" | "succeeded" | "partially_succeeded" | "failed" | "cancelled";
            identityHash: string;
            summaryCounts: {
                [key: string]: number;
            };
            failureSummary: {
                code: string;
                message: string;
                count: number;
            }[];
            context: {
                [key: string]: unknown;
            };
            initiator: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            startedAt?: string;
            /** Format: date-time */
            completedAt?: string;
        };
        /** @enum {string} */
        OperationRunType: "inventory_sync" | "baseline_capture" | "baseline_compare";
        OperationRunPage: {
            items: components["schemas"]["OperationRun"][];
            /** @description Present when more items may follow. */
            nextCursor?: string;
        };
        FindingPage: {
            items: components["schemas"]["FindingSummary"][];
            /** @description Present when more items may follow. */
            nextCursor?: string;
        };
        /** @description A finding without its evidence. */
        FindingSummary: {
            tenantId: string;
            fingerprint: string;
            recurrenceKey: string;
            scopeKey: string;
            /** @enum {string} */
            source: "baseline.compare";
            changeType: components["schemas"]["ChangeType"];
            policyType: string;
            subjectKey: string;
            displayName: string;
            status: components["schemas"]["FindingStatus"];
            severity: components["schemas"]["Severity"];
            /** Format: date-time */
            firstSeenAt: string;
            /** Format: date-time */
            lastSeenAt: string;
            timesSeen: number;
            reopenCount: number;
            /** Format: date-time */
            reopenedAt?: string;
            /** Format: date-time */
            resolvedAt?: string;
            resolvedReason?: string;
            /** Format: date-time */
            triagedAt?: string;
            /** Format: date-time */
            inProgressAt?: string;
            /** Format: date-time */
            closedAt?: string;
            closedBy?: string;
            closedReason?: string;
            riskAcceptedBy?: string;
            riskAcceptedReason?: string;
            /**
             * @description Why the finding was last reopened.
             * @enum {string}
             */
            reopenReason?: "drift_returned" | "accepted_value_changed" | "acceptance_expired";
            /** Format: date-time */
            acceptedAt?: string;
            acceptedBy?: string;
            /** @description The tenant side's hash per dimension when the deviation was accepted: a later compare that sees another value reopens the finding (accepted_value_changed). */
            acceptedHash?: {
                settings: string | null;
                /** @enum {string|null} */
                settingsFidelity: "content" | "meta" | null;
                assignments?: string | null;
            };
            /**
             * Format: date-time
             * @description When the acceptance ends (acceptance_expired).
             */
            expiresAt?: string;
            assignee?: string;
            /** Format: date-time */
            dueAt: string;
            currentOperationRunId: string;
            /** @enum {string} */
            evidenceFidelity: "content" | "meta" | "mixed";
        };
        /** @enum {string} */
        ChangeType: "missing_policy" | "unexpected_policy" | "different_version";
        /** @enum {string} */
        FindingStatus: "new" | "triaged" | "in_progress" | "reopened" | "resolved" | "closed" | "risk_accepted";
        /** @enum {string} */
        RegistryType: "deviceConfiguration" | "windowsUpdateRing" | "deviceCompliancePolicy" | "compliancePolicy" | "settingsCatalogPolicy" | "endpointSecurityPolicy" | "securityBaselinePolicy" | "securityBaselineIntent" | "administrativeTemplate" | "appProtectionPolicy" | "mobileAppConfiguration" | "targetedManagedAppConfiguration" | "conditionalAccessPolicy" | "autopilotDeploymentProfile" | "enrollmentStatusPage" | "enrollmentRestriction" | "enrollmentLimit" | "enrollmentConfiguration" | "featureUpdateProfile" | "qualityUpdateProfile" | "driverUpdateProfile" | "powershellScript" | "shellScript" | "roleScopeTag" | "assignmentFilter" | "notificationMessageTemplate";
        Finding: {
            tenantId: string;
            fingerprint: string;
            recurrenceKey: string;
            scopeKey: string;
            /** @enum {string} */
            source: "baseline.compare";
            changeType: components["schemas"]["ChangeType"];
            policyType: string;
            subjectKey: string;
            displayName: string;
            status: components["schemas"]["FindingStatus"];
            severity: components["schemas"]["Severity"];
            /** Format: date-time */
            firstSeenAt: string;
            /** Format: date-time */
            lastSeenAt: string;
            timesSeen: number;
            reopenCount: number;
            /** Format: date-time */
            reopenedAt?: string;
            /** Format: date-time */
            resolvedAt?: string;
            resolvedReason?: string;
            /** Format: date-time */
            triagedAt?: string;
            /** Format: date-time */
            inProgressAt?: string;
            /** Format: date-time */
            closedAt?: string;
            closedBy?: string;
            closedReason?: string;
            riskAcceptedBy?: string;
            riskAcceptedReason?: string;
            /**
             * @description Why the finding was last reopened.
             * @enum {string}
             */
            reopenReason?: "drift_returned" | "accepted_value_changed" | "acceptance_expired";
            /** Format: date-time */
            acceptedAt?: string;
            acceptedBy?: string;
            /** @description The tenant side's hash per dimension when the deviation was accepted: a later compare that sees another value reopens the finding (accepted_value_changed). */
            acceptedHash?: {
                settings: string | null;
                /** @enum {string|null} */
                settingsFidelity: "content" | "meta" | null;
                assignments?: string | null;
            };
            /**
             * Format: date-time
             * @description When the acceptance ends (acceptance_expired).
             */
            expiresAt?: string;
            assignee?: string;
            /** Format: date-time */
            dueAt: string;
            currentOperationRunId: string;
            /** @enum {string} */
            evidenceFidelity: "content" | "meta" | "mixed";
            /** @description Design 2.6 evidence (snake_case); `accepted` when an acceptance ended: what was accepted. */
            evidence: {
                [key: string]: unknown;
            };
            /** @description The evidence as it was when the deviation was accepted. */
            acceptedEvidence?: {
                [key: string]: unknown;
            };
        };
        FindingTransitionRequest: {
            /** @enum {string} */
            to: "triaged" | "in_progress" | "closed" | "risk_accepted";
            /** @description Required (non-blank) for closed and risk_accepted. */
            reason?: string;
            assignee?: string;
            /**
             * Format: date-time
             * @description risk_accepted only: when the acceptance ends (in the future, at most the configured maximum ahead, default 365 days). Absent: it does not expire.
             */
            expiresAt?: string;
        };
        AuditPage: {
            items: components["schemas"]["AuditEntry"][];
            /** @description Present when more items may follow. */
            nextCursor?: string;
        };
        AuditEntry: {
            id: string;
            workspaceId: string;
            tenantId?: string;
            profileId?: string;
            actor: string;
            /** Format: date-time */
            at: string;
            action: string;
            correlationId: string;
            details: {
                [key: string]: unknown;
            };
        };
        /** @description Explicit mappings come first when a group is resolved across tenants; then equal object ids; then display names. */
        GroupMappings: {
            tenantId: string;
            mappings: components["schemas"]["GroupMapping"][];
            /** Format: date-time */
            updatedAt?: string;
            updatedBy?: string;
        };
        GroupMapping: {
            /** @description The baseline group: its display name or object id in the golden tenant. */
            baselineGroup: string;
            /** @description This tenant's group that stands for it: its object id (or display name). */
            tenantGroupId: string;
        };
        /** @description Replaces the tenant's explicit group mappings as a whole (an empty list removes them). */
        GroupMappingsRequest: {
            mappings: components["schemas"]["GroupMapping"][];
        };
        TenantList: {
            items: components["schemas"]["Tenant"][];
        };
        Tenant: {
            tenantId: string;
            /** @description The name people recognise; the tenant id when none was given. */
            displayName: string;
            /** @description Whether a display name was given (false: displayName is the id). */
            named: boolean;
            /** Format: date-time */
            updatedAt?: string;
            updatedBy?: string;
        };
        TenantRenameRequest: {
            displayName: string;
        };
        WebhookCreated: {
            id: string;
            /** @description The destination's origin; the path and query are not shown again (chat webhook paths are credentials). */
            url: string;
            events: components["schemas"]["WebhookEventType"][];
            minSeverity: components["schemas"]["Severity"];
            format: components["schemas"]["WebhookFormat"];
            description?: string;
            /** Format: date-time */
            createdAt: string;
            createdBy: string;
            /** @description The signing secret (`whsec_` + base64), returned only in this answer: verify `webhook-signature` with it (Standard Webhooks). */
            secret: string;
        };
        /**
         * @description A state transition: a finding opened, reopened (with its reopenReason) or resolved, or a compare that failed.
         * @enum {string}
         */
        WebhookEventType: "finding.opened" | "finding.reopened" | "finding.resolved" | "compare.failed";
        /**
         * @description `standard`: Standard Webhooks JSON `{ type, timestamp, data }`; `teams`: a message with an Adaptive Card; `slack`: a Block Kit message.
         * @enum {string}
         */
        WebhookFormat: "standard" | "teams" | "slack";
        WebhookCreateRequest: {
            /**
             * @description Where deliveries are POSTed: https to a public address (on the local stack also a loopback receiver, http allowed there).
             * @example https://hooks.example.com/drift
             */
            url: string;
            events: components["schemas"]["WebhookEventType"][];
            /**
             * @description Finding events below this severity are not sent (compare.failed always is). Default low.
             * @default low
             * @enum {string}
             */
            minSeverity: "low" | "medium" | "high" | "critical";
            format?: components["schemas"]["WebhookFormat"];
            description?: string;
        };
        WebhookPage: {
            items: components["schemas"]["Webhook"][];
            /** @description Present when more items may follow. */
            nextCursor?: string;
        };
        Webhook: {
            id: string;
            /** @description The destination's origin; the path and query are not shown again (chat webhook paths are credentials). */
            url: string;
            events: components["schemas"]["WebhookEventType"][];
            minSeverity: components["schemas"]["Severity"];
            format: components["schemas"]["WebhookFormat"];
            description?: string;
            /** Format: date-time */
            createdAt: string;
            createdBy: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getHealth: {
        parameters: {
            query?: never;
            header?: {
                /** @description Echoed in the response and written to the audit trail; default the request id. */
                "x-correlation-id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Up */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            /** @description Throttled by the stage's rate or burst limit: retry after a pause */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Server error: retry later; quote the request id when reporting it */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listProfiles: {
        parameters: {
            query?: {
                /** @description Most items per page (1-100, default 25). */
                limit?: number;
                /** @description The `nextCursor` of the previous page (opaque). */
                cursor?: string;
                status?: components["schemas"]["ProfileStatus"];
            };
            header?: {
                /** @description Echoed in the response and written to the audit trail; default the request id. */
                "x-correlation-id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of profiles */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BaselineProfilePage"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not visible to the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Throttled by the stage's rate or burst limit: retry after a pause */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Server error: retry later; quote the request id when reporting it */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createProfile: {
        parameters: {
            query?: never;
            header?: {
                /** @description Echoed in the response and written to the audit trail; default the request id. */
                "x-correlation-id"?: string;
                /** @description A retry with the same key returns the first answer instead of creating again. */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateProfileRequest"];
            };
        };
        responses: {
            /** @description Already created under this Idempotency-Key */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BaselineProfile"];
                };
            };
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BaselineProfile"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Role too weak */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not visible to the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Idempotency-Key reused for another request */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Throttled by the stage's rate or burst limit: retry after a pause */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Server error: retry later; quote the request id when reporting it */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getProfile: {
        parameters: {
            query?: never;
            header?: {
                /** @description Echoed in the response and written to the audit trail; default the request id. */
                "x-correlation-id"?: string;
            };
            path: {
                profileId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The profile */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BaselineProfile"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not visible to the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Throttled by the stage's rate or burst limit: retry after a pause */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Server error: retry later; quote the request id when reporting it */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateProfile: {
        parameters: {
            query?: never;
            header?: {
                /** @description Echoed in the response and written to the audit trail; default the request id. */
                "x-correlation-id"?: string;
            };
            path: {
                profileId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateProfileRequest"];
            };
        };
        responses: {
            /** @description The updated profile */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BaselineProfile"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Role too weak */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not visible to the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Status move refused or profile archived */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Throttled by the stage's rate or burst limit: retry after a pause */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Server error: retry later; quote the request id when reporting it */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listSnapshots: {
        parameters: {
            query?: {
                /** @description Most items per page (1-100, default 25). */
                limit?: number;
                /** @description The `nextCursor` of the previous page (opaque). */
                cursor?: string;
            };
            header?: {
                /** @description Echoed in the response and written to the audit trail; default the request id. */
                "x-correlation-id"?: string;
            };
            path: {
                profileId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of snapshots */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BaselineSnapshotPage"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not visible to the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Throttled by the stage's rate or burst limit: retry after a pause */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Server error: retry later; quote the request id when reporting it */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    captureSnapshot: {
        parameters: {
            query?: never;
            header?: {
                /** @description Echoed in the response and written to the audit trail; default the request id. */
                "x-correlation-id"?: string;
                /** @description A retry with the same key returns the first answer instead of creating again. */
                "idempotency-key"?: string;
            };
            path: {
                profileId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CaptureSnapshotRequest"];
            };
        };
        responses: {
            /** @description Capture started; follow the run */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AcceptedRun"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Role too weak */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not visible to the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Profile archived, or Idempotency-Key reused */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Throttled by the stage's rate or burst limit: retry after a pause */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Server error: retry later; quote the request id when reporting it */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getSnapshot: {
        parameters: {
            query?: never;
            header?: {
                /** @description Echoed in the response and written to the audit trail; default the request id. */
                "x-correlation-id"?: string;
            };
            path: {
                profileId: string;
                snapshotId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The snapshot */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BaselineSnapshot"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not visible to the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Throttled by the stage's rate or burst limit: retry after a pause */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Server error: retry later; quote the request id when reporting it */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    assignTenant: {
        parameters: {
            query?: never;
            header?: {
                /** @description Echoed in the response and written to the audit trail; default the request id. */
                "x-correlation-id"?: string;
            };
            path: {
                profileId: string;
                /** @description A tenant id (Entra tenant id or the portal's tenant key). */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AssignTenantRequest"];
            };
        };
        responses: {
            /** @description Already assigned (same override) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Assignment"];
                };
            };
            /** @description Assigned */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Assignment"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Role too weak */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not visible to the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Assigned with another override, or profile archived */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Throttled by the stage's rate or burst limit: retry after a pause */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Server error: retry later; quote the request id when reporting it */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    unassignTenant: {
        parameters: {
            query?: never;
            header?: {
                /** @description Echoed in the response and written to the audit trail; default the request id. */
                "x-correlation-id"?: string;
            };
            path: {
                profileId: string;
                /** @description A tenant id (Entra tenant id or the portal's tenant key). */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Not assigned (any more) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Role too weak */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not visible to the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Throttled by the stage's rate or burst limit: retry after a pause */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Server error: retry later; quote the request id when reporting it */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listProfileAssignments: {
        parameters: {
            query?: never;
            header?: {
                /** @description Echoed in the response and written to the audit trail; default the request id. */
                "x-correlation-id"?: string;
            };
            path: {
                profileId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Assignments */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AssignmentList"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not visible to the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Throttled by the stage's rate or burst limit: retry after a pause */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Server error: retry later; quote the request id when reporting it */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listTenantAssignments: {
        parameters: {
            query?: never;
            header?: {
                /** @description Echoed in the response and written to the audit trail; default the request id. */
                "x-correlation-id"?: string;
            };
            path: {
                /** @description A tenant id (Entra tenant id or the portal's tenant key). */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Assignments */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AssignmentList"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not visible to the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Throttled by the stage's rate or burst limit: retry after a pause */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Server error: retry later; quote the request id when reporting it */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    ingestInventoryPage: {
        parameters: {
            query?: never;
            header?: {
                /** @description Echoed in the response and written to the audit trail; default the request id. */
                "x-correlation-id"?: string;
            };
            path: {
                /** @description A tenant id (Entra tenant id or the portal's tenant key). */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["InventoryPage"];
            };
        };
        responses: {
            /** @description Last page received: the sync is completed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InventoryPageResult"];
                };
            };
            /** @description Page staged; send the next one with the runId */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InventoryPageResult"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Role too weak */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not visible to the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Another sync of the tenant is active, the sync is completed, or the page conflicts */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A Graph object cannot be read */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Throttled by the stage's rate or burst limit: retry after a pause */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Server error: retry later; quote the request id when reporting it */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    startCompare: {
        parameters: {
            query?: never;
            header?: {
                /** @description Echoed in the response and written to the audit trail; default the request id. */
                "x-correlation-id"?: string;
            };
            path: {
                /** @description A tenant id (Entra tenant id or the portal's tenant key). */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StartCompareRequest"];
            };
        };
        responses: {
            /** @description Compare started; follow the run */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AcceptedRun"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Role too weak */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not visible to the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A compare of this tenant and profile is already active (activeRunId), or the profile is not active / the tenant not assigned */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Throttled by the stage's rate or burst limit: retry after a pause */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Server error: retry later; quote the request id when reporting it */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The workflow could not be started (the run is recorded failed) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getRun: {
        parameters: {
            query?: never;
            header?: {
                /** @description Echoed in the response and written to the audit trail; default the request id. */
                "x-correlation-id"?: string;
            };
            path: {
                runId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The run */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OperationRun"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not visible to the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Throttled by the stage's rate or burst limit: retry after a pause */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Server error: retry later; quote the request id when reporting it */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listRuns: {
        parameters: {
            query?: {
                /** @description Most items per page (1-100, default 25). */
                limit?: number;
                /** @description The `nextCursor` of the previous page (opaque). */
                cursor?: string;
                type?: components["schemas"]["OperationRunType"];
            };
            header?: {
                /** @description Echoed in the response and written to the audit trail; default the request id. */
                "x-correlation-id"?: string;
            };
            path: {
                /** @description A tenant id (Entra tenant id or the portal's tenant key). */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of runs */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OperationRunPage"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not visible to the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Throttled by the stage's rate or burst limit: retry after a pause */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Server error: retry later; quote the request id when reporting it */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listFindings: {
        parameters: {
            query?: {
                /** @description Most items per page (1-100, default 25). */
                limit?: number;
                /** @description The `nextCursor` of the previous page (opaque). */
                cursor?: string;
                status?: components["schemas"]["FindingStatus"];
                policyType?: components["schemas"]["RegistryType"];
                changeType?: components["schemas"]["ChangeType"];
                severity?: components["schemas"]["Severity"];
                /** @description e.g. `baseline_profile:<profileId>` */
                scopeKey?: string;
            };
            header?: {
                /** @description Echoed in the response and written to the audit trail; default the request id. */
                "x-correlation-id"?: string;
            };
            path: {
                /** @description A tenant id (Entra tenant id or the portal's tenant key). */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of findings */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FindingPage"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not visible to the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Throttled by the stage's rate or burst limit: retry after a pause */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Server error: retry later; quote the request id when reporting it */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getFinding: {
        parameters: {
            query?: never;
            header?: {
                /** @description Echoed in the response and written to the audit trail; default the request id. */
                "x-correlation-id"?: string;
            };
            path: {
                /** @description A tenant id (Entra tenant id or the portal's tenant key). */
                tenantId: string;
                /** @description A finding fingerprint (SHA-256 hex). */
                fingerprint: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The finding */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Finding"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not visible to the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Throttled by the stage's rate or burst limit: retry after a pause */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Server error: retry later; quote the request id when reporting it */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    transitionFinding: {
        parameters: {
            query?: never;
            header?: {
                /** @description Echoed in the response and written to the audit trail; default the request id. */
                "x-correlation-id"?: string;
            };
            path: {
                /** @description A tenant id (Entra tenant id or the portal's tenant key). */
                tenantId: string;
                /** @description A finding fingerprint (SHA-256 hex). */
                fingerprint: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["FindingTransitionRequest"];
            };
        };
        responses: {
            /** @description The finding after the move */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Finding"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Role too weak */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not visible to the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The move is not allowed from the current status (allowed lists the moves) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description closed and risk_accepted need a reason; expiresAt must lie in the future, within the maximum (default 365 days), and only with risk_accepted */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Throttled by the stage's rate or burst limit: retry after a pause */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Server error: retry later; quote the request id when reporting it */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listTenantAudit: {
        parameters: {
            query?: {
                /** @description Most items per page (1-100, default 25). */
                limit?: number;
                /** @description The `nextCursor` of the previous page (opaque). */
                cursor?: string;
            };
            header?: {
                /** @description Echoed in the response and written to the audit trail; default the request id. */
                "x-correlation-id"?: string;
            };
            path: {
                /** @description A tenant id (Entra tenant id or the portal's tenant key). */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of audit entries */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditPage"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not visible to the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Throttled by the stage's rate or burst limit: retry after a pause */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Server error: retry later; quote the request id when reporting it */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listWorkspaceAudit: {
        parameters: {
            query?: {
                /** @description Most items per page (1-100, default 25). */
                limit?: number;
                /** @description The `nextCursor` of the previous page (opaque). */
                cursor?: string;
            };
            header?: {
                /** @description Echoed in the response and written to the audit trail; default the request id. */
                "x-correlation-id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of audit entries */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditPage"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not visible to the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Throttled by the stage's rate or burst limit: retry after a pause */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Server error: retry later; quote the request id when reporting it */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getGroupMappings: {
        parameters: {
            query?: never;
            header?: {
                /** @description Echoed in the response and written to the audit trail; default the request id. */
                "x-correlation-id"?: string;
            };
            path: {
                /** @description A tenant id (Entra tenant id or the portal's tenant key). */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The mappings (an empty list when none) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GroupMappings"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not visible to the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Throttled by the stage's rate or burst limit: retry after a pause */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Server error: retry later; quote the request id when reporting it */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putGroupMappings: {
        parameters: {
            query?: never;
            header?: {
                /** @description Echoed in the response and written to the audit trail; default the request id. */
                "x-correlation-id"?: string;
            };
            path: {
                /** @description A tenant id (Entra tenant id or the portal's tenant key). */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["GroupMappingsRequest"];
            };
        };
        responses: {
            /** @description The stored mappings */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GroupMappings"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Role too weak */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not visible to the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Throttled by the stage's rate or burst limit: retry after a pause */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Server error: retry later; quote the request id when reporting it */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listTenants: {
        parameters: {
            query?: never;
            header?: {
                /** @description Echoed in the response and written to the audit trail; default the request id. */
                "x-correlation-id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The tenants */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TenantList"];
                };
            };
            /** @description Missing or invalid token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Throttled by the stage's rate or burst limit: retry after a pause */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Server error: retry later; quote the request id when reporting it */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    renameTenant: {
        parameters: {
            query?: never;
            header?: {
                /** @description Echoed in the response and written to the audit trail; default the request id. */
                "x-correlation-id"?: string;
            };
            path: {
                /** @description A tenant id (Entra tenant id or the portal's tenant key). */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TenantRenameRequest"];
            };
        };
        responses: {
            /** @description The tenant with its name */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tenant"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Role too weak (admin needed) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not visible to the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Throttled by the stage's rate or burst limit: retry after a pause */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Server error: retry later; quote the request id when reporting it */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listWebhooks: {
        parameters: {
            query?: {
                /** @description Most items per page (1-100, default 25). */
                limit?: number;
                /** @description The `nextCursor` of the previous page (opaque). */
                cursor?: string;
            };
            header?: {
                /** @description Echoed in the response and written to the audit trail; default the request id. */
                "x-correlation-id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of destinations */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookPage"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Role too weak (admin needed) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Throttled by the stage's rate or burst limit: retry after a pause */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Server error: retry later; quote the request id when reporting it */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createWebhook: {
        parameters: {
            query?: never;
            header?: {
                /** @description Echoed in the response and written to the audit trail; default the request id. */
                "x-correlation-id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookCreateRequest"];
            };
        };
        responses: {
            /** @description Created: keep `secret`, it is not shown again */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookCreated"];
                };
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Role too weak (admin needed) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body is not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The URL is refused: not https, credentials in it, or its host resolves to a private, link-local or loopback address */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Throttled by the stage's rate or burst limit: retry after a pause */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Server error: retry later; quote the request id when reporting it */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteWebhook: {
        parameters: {
            query?: never;
            header?: {
                /** @description Echoed in the response and written to the audit trail; default the request id. */
                "x-correlation-id"?: string;
            };
            path: {
                webhookId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Missing or invalid token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Role too weak (admin needed) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not found (or not visible to the caller) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Throttled by the stage's rate or burst limit: retry after a pause */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Server error: retry later; quote the request id when reporting it */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getOpenApiDocument: {
        parameters: {
            query?: never;
            header?: {
                /** @description Echoed in the response and written to the audit trail; default the request id. */
                "x-correlation-id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The OpenAPI document */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Throttled by the stage's rate or burst limit: retry after a pause */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Server error: retry later; quote the request id when reporting it */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
}
