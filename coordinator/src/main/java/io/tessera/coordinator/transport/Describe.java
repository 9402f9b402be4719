package io.tessera.coordinator.transport;

import io.tessera.codec.message.BranchEndRequest;
import io.tessera.codec.message.BranchRegisterRequest;
import io.tessera.codec.message.BranchReportRequest;
import io.tessera.codec.message.GlobalEndRequest;
import io.tessera.codec.message.GlobalLockQueryRequest;
import io.tessera.codec.message.GlobalReportRequest;
import io.tessera.codec.message.Request;
import io.tessera.codec.text.ClientText;
import java.util.Collection;
import java.util.Iterator;

/** Short, log-safe text for a request (its type and, where there is one, the xid) and for collections. */
final class Describe {
    private Describe() {
    }

    static String request(Request r) {
        String xid = null;
        if (r instanceof GlobalEndRequest g) {
            xid = g.xid();
        } else if (r instanceof GlobalReportRequest g) {
            xid = g.xid();
        } else if (r instanceof BranchRegisterRequest b) {
            xid = b.xid();
        } else if (r instanceof BranchReportRequest b) {
            xid = b.xid();
        } else if (r instanceof GlobalLockQueryRequest g) {
            xid = g.xid();
        } else if (r instanceof BranchEndRequest b) {
            xid = b.xid();
        }
        String name = r.getClass().getSimpleName();
        if (r instanceof GlobalEndRequest g) {
            name = "Global" + g.kind().name().charAt(0) + g.kind().name().substring(1).toLowerCase();
        }
        return xid == null ? name : name + " xid=" + ClientText.of(xid);
    }

    /** A count and the first few elements, each escaped and cut: never a whole client-supplied collection. */
    static String sample(Collection<String> items) {
        StringBuilder out = new StringBuilder().append(items.size()).append(" [");
        int shown = 0;
        for (Iterator<String> it = items.iterator(); it.hasNext();) {
            String next = ClientText.of(it.next(), 60);
            if (shown == 5 || out.length() + next.length() > 300) {
                out.append("…");
                break;
            }
            out.append(shown == 0 ? "" : ", ").append(next);
            shown++;
        }
        return out.append(']').toString();
    }
}
