package io.tessera.coordinator.transport;

import io.tessera.codec.message.BranchRegisterRequest;
import io.tessera.codec.message.BranchReportRequest;
import io.tessera.codec.message.GlobalBeginRequest;
import io.tessera.codec.message.GlobalEndRequest;
import io.tessera.codec.message.GlobalLockQueryRequest;
import io.tessera.codec.message.GlobalReportRequest;
import io.tessera.codec.message.RegisterRMRequest;
import io.tessera.codec.message.RegisterTMRequest;
import io.tessera.codec.message.Request;
import io.tessera.codec.message.Response;
import io.tessera.codec.message.TransactionExceptionCode;
import io.tessera.coordinator.config.NodeConfig;
import io.tessera.coordinator.config.NodeConfigLoader;

/**
 * Size bounds on what a client registers and sends, checked on arrival before anything is split,
 * stored or proposed. Every client string field (application id, group, version, extraData,
 * transaction name, xid, resource id) is at most {@code maxFieldLength} characters; a RegisterRM lists at
 * most {@code maxResourceIds} resource ids (counted without splitting the list); applicationData is at
 * most {@code applicationDataLimit} UTF-8 bytes, Seata's {@code server.applicationDataLimit}. Lock keys
 * are not bounded here: AT lock keys legitimately list many rows and are bounded by the frame length.
 * Messages name the limit and its key so that an operator and the client see which bound was hit.
 */
final class FieldLimits {
    private final int maxFieldLength;
    private final int maxResourceIds;
    private final int applicationDataLimit;

    FieldLimits(NodeConfig.TransactionLimits limits) {
        this.maxFieldLength = limits.maxFieldLength();
        this.maxResourceIds = limits.maxResourceIds();
        this.applicationDataLimit = limits.applicationDataLimit();
    }

    /** @return null if acceptable, else why not */
    String registerTm(RegisterTMRequest r) {
        String v = identity(r.version(), r.applicationId(), r.transactionServiceGroup(), r.extraData());
        return v == null ? null : "RegisterTM refused: " + v;
    }

    /**
     * The list itself; what a connection holds in total (follow-ups add up) is checked when the ids are
     * added, see {@link ClientSession#addResources}.
     *
     * @return null if acceptable, else why not
     */
    String registerRm(RegisterRMRequest r) {
        String v = identity(r.version(), r.applicationId(), r.transactionServiceGroup(), r.extraData());
        if (v == null) {
            v = resourceIds(r.resourceIds());
        }
        return v == null ? null : "RegisterRM refused: " + v;
    }

    private String identity(String version, String applicationId, String group, String extraData) {
        String v = field("version", version);
        if (v == null) {
            v = field("applicationId", applicationId);
        }
        if (v == null) {
            v = field("transactionServiceGroup", group);
        }
        return v != null ? v : field("extraData", extraData);
    }

    /** Counts the ids of a comma-joined list and measures each, without splitting it. */
    private String resourceIds(String commaJoined) {
        if (commaJoined == null) {
            return null;
        }
        int count = 0;
        int start = 0;
        int n = commaJoined.length();
        for (int i = 0; i <= n; i++) {
            if (i < n && commaJoined.charAt(i) != ',') {
                continue;
            }
            int from = start;
            int to = i;
            while (from < to && Character.isWhitespace(commaJoined.charAt(from))) {
                from++;
            }
            while (to > from && Character.isWhitespace(commaJoined.charAt(to - 1))) {
                to--;
            }
            if (to > from) {
                count++;
                if (to - from > maxFieldLength) {
                    return "resource id " + count + " has " + (to - from) + " characters, more than "
                            + NodeConfigLoader.MAX_FIELD_LENGTH + "=" + maxFieldLength;
                }
            }
            start = i + 1;
        }
        if (count > maxResourceIds) {
            return count + " resource ids listed, more than " + NodeConfigLoader.MAX_RESOURCE_IDS + "=" + maxResourceIds;
        }
        return null;
    }

    /** @return the Failed answer for a request over a bound, or null if it is within them */
    Response refusal(Request request) {
        String violation = violation(request);
        if (violation == null) {
            return null;
        }
        return FailedResponses.of(request, refusalCode(request), "TransactionException[" + violation + "]");
    }

    String violation(Request request) {
        if (request instanceof GlobalBeginRequest r) {
            return field("transactionName", r.transactionName());
        }
        if (request instanceof GlobalEndRequest r) {
            return first(field("xid", r.xid()), field("extraData", r.extraData()));
        }
        if (request instanceof GlobalReportRequest r) {
            return first(field("xid", r.xid()), field("extraData", r.extraData()));
        }
        if (request instanceof BranchRegisterRequest r) {
            String v = first(field("xid", r.xid()), field("resourceId", r.resourceId()));
            return v != null ? v : applicationData(r.applicationData());
        }
        if (request instanceof BranchReportRequest r) {
            String v = first(field("xid", r.xid()), field("resourceId", r.resourceId()));
            return v != null ? v : applicationData(r.applicationData());
        }
        if (request instanceof GlobalLockQueryRequest r) {
            String v = first(field("xid", r.xid()), field("resourceId", r.resourceId()));
            return v != null ? v : applicationData(r.applicationData());
        }
        return null;
    }

    /**
     * BranchRegister uses Seata's code for oversized applicationData (FailedToAddBranch, what
     * AbstractCore.branchRegister answers when server.applicationDataLimitCheck is on).
     */
    private static TransactionExceptionCode refusalCode(Request request) {
        if (request instanceof GlobalBeginRequest) {
            return TransactionExceptionCode.BeginFailed;
        }
        if (request instanceof BranchRegisterRequest) {
            return TransactionExceptionCode.FailedToAddBranch;
        }
        if (request instanceof BranchReportRequest) {
            return TransactionExceptionCode.BranchReportFailed;
        }
        if (request instanceof GlobalLockQueryRequest) {
            return TransactionExceptionCode.LockableCheckFailed;
        }
        return TransactionExceptionCode.Unknown;
    }

    private String field(String name, String value) {
        if (value == null || value.length() <= maxFieldLength) {
            return null;
        }
        return name + " has " + value.length() + " characters, more than " + NodeConfigLoader.MAX_FIELD_LENGTH + "="
                + maxFieldLength;
    }

    private String applicationData(String data) {
        if (data == null || data.length() <= applicationDataLimit / 3) {
            return null; // at most 3 UTF-8 bytes per char: certainly within the limit
        }
        long bytes = utf8Length(data);
        if (bytes <= applicationDataLimit) {
            return null;
        }
        return "applicationData of " + bytes + " bytes is larger than " + NodeConfigLoader.APPLICATION_DATA_LIMIT + "="
                + applicationDataLimit + " (Seata's server.applicationDataLimit)";
    }

    private static String first(String a, String b) {
        return a != null ? a : b;
    }

    /** UTF-8 length without encoding (Seata measures applicationData in bytes). */
    static long utf8Length(String s) {
        long bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
