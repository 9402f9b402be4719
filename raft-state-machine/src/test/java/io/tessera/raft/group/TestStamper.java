package io.tessera.raft.group;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Stamps a text draft into {@code [id:8][time:8][term:8][draft]}. Drafts starting with "bad" are refused
 * like an undecodable draft. An optional hook runs before stamping returns (tests block it to hold a
 * stamped command while leadership moves).
 */
public final class TestStamper implements CommandStamper {
    private final Consumer<String> hook;

    public TestStamper() {
        this(d -> { });
    }

    TestStamper(Consumer<String> hook) {
        this.hook = hook;
    }

    @Override
    public byte[] stamp(byte[] draft, StampContext ctx) {
        String text = new String(draft, StandardCharsets.UTF_8);
        if (text.startsWith("bad")) {
            throw new IllegalArgumentException("undecodable draft " + text);
        }
        long id = ctx.nextId();
        byte[] out = encode(id, ctx.nowMillis(), ctx.term(), draft);
        hook.accept(text);
        return out;
    }

    /** KvTarget's "noop" command. */
    @Override
    public Object noopDraft() {
        return draft("noop");
    }

    static byte[] encode(long id, long time, long term, byte[] draft) {
        return ByteBuffer.allocate(24 + draft.length).putLong(id).putLong(time).putLong(term).put(draft).array();
    }

    public static byte[] draft(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
