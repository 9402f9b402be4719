package io.tessera.raft.tx;

import io.tessera.raft.proto.SetMember;
import java.util.regex.Pattern;

/**
 * Shapes a SetMember must have. The stamper refuses drafts outside them (nothing proposed); apply refuses
 * entries outside them as a business rejection (a forged or buggy entry changes nothing).
 */
public final class MemberLimits {
    public static final int MAX_NODE_ID_CHARS = 64;
    public static final int MAX_HOST_CHARS = 253;
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_NODE_ID_CHARS + "}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:\\[\\]_-]{1," + MAX_HOST_CHARS + "}");

    private MemberLimits() {
    }

    /** True for a node id the directory accepts (letters, digits, '.', '_', '-'; 1..64). */
    public static boolean validNodeId(String id) {
        return id != null && NODE_ID.matcher(id).matches();
    }

    /** Why a SetMember body is malformed, or null. */
    static String problem(SetMember m) {
        if (!validNodeId(m.getNodeId())) {
            return "node id must be 1.." + MAX_NODE_ID_CHARS + " characters of letters, digits, '.', '_' and '-'";
        }
        if (m.getRequestedBy().length() > AuthLimits.MAX_REQUESTED_BY_CHARS) {
            return "requested_by longer than " + AuthLimits.MAX_REQUESTED_BY_CHARS + " characters";
        }
        if (m.getRemove()) {
            return null;
        }
        if (!HOST.matcher(m.getHost()).matches()) {
            return "host must be 1.." + MAX_HOST_CHARS + " characters of a host name or address";
        }
        int c = m.getControlPort();
        int t = m.getTransactionPort();
        int r = m.getRaftPort();
        if (!port(c) || !port(t) || !port(r)) {
            return "ports must be 1..65535";
        }
        if (c == t || c == r || t == r) {
            return "control, transaction and raft ports must differ";
        }
        return null;
    }

    private static boolean port(int p) {
        return p >= 1 && p <= 65535;
    }
}
