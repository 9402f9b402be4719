package io.tessera.raft.tx;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The console index as maintained by apply must equal the one {@link ConsoleIndex#rebuild} derives from the
 * primary tables: what the golden scripts check after every script.
 */
final class ConsoleIndexCheck {
    private ConsoleIndexCheck() {
    }

    /** Null when they agree, else a description of the first difference. */
    static String mismatch(TxStateMachine machine) {
        return machine.store().read(kv -> {
            MemKv mem = new MemKv();
            for (Table t : new Table[] {Table.GLOBALS, Table.ENDED, Table.LOCKS}) {
                kv.scan(t, new byte[0], (k, v) -> {
                    mem.put(t, k, v);
                    return true;
                });
            }
            ConsoleIndex.rebuild(mem);
            List<String> maintained = new ArrayList<>();
            kv.scan(Table.CONSOLE_INDEX, new byte[0], (k, v) -> {
                maintained.add(hex(k) + "=" + hex(v));
                return true;
            });
            List<String> rebuilt = new ArrayList<>();
            mem.scan(Table.CONSOLE_INDEX, new byte[0], (k, v) -> {
                rebuilt.add(hex(k) + "=" + hex(v));
                return true;
            });
            return maintained.equals(rebuilt) ? null : "maintained " + maintained + "\nrebuilt    " + rebuilt;
        });
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
