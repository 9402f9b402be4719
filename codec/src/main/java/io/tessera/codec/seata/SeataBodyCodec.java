package io.tessera.codec.seata;

import io.tessera.codec.BodyCodec;
import io.tessera.codec.CodecException;
import io.tessera.codec.RpcFrame;
import io.tessera.codec.message.BatchResultMessage;
import io.tessera.codec.message.MergeResultMessage;
import io.tessera.codec.message.MergedWarpMessage;
import io.tessera.codec.message.Message;
import io.tessera.codec.message.MessageTypes;
import io.tessera.codec.message.Request;
import io.tessera.codec.message.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * The SEATA body codec (codec byte 0x01, spec §6): {@code i16 typeCode ‖ payload}. Decoding is
 * strict — truncation, unknown enum values and trailing bytes are errors — while the values it
 * produces (null vs "") match what seata-all's own decoder yields for a well-formed body.
 */
public final class SeataBodyCodec implements BodyCodec {

    @Override
    public byte codecId() {
        return RpcFrame.CODEC_SEATA;
    }

    @Override
    public byte[] encode(Message message) {
        if (message == null) {
            throw new CodecException(CodecException.Reason.UNENCODABLE, "null message");
        }
        SeataWriter w = new SeataWriter(128);
        write(message, w);
        return w.toByteArray();
    }

    @Override
    public Message decode(byte[] body) {
        try {
            SeataReader r = new SeataReader(body);
            int typeCode = r.i16("typeCode");
            Message m = read(typeCode, r);
            r.expectEnd("message type " + typeCode);
            return m;
        } catch (CodecException e) {
            throw e;
        } catch (RuntimeException e) {
            // Defence in depth: no other throwable may leave the codec.
            throw new CodecException(CodecException.Reason.MALFORMED_BODY, "undecodable SEATA body: " + e, e);
        }
    }

    private static void write(Message message, SeataWriter w) {
        w.i16(message.typeCode());
        if (message instanceof Request r) {
            RequestLayouts.encode(r, w);
        } else if (message instanceof Response r) {
            ResponseLayouts.encode(r, w);
        } else if (message instanceof MergedWarpMessage m) {
            if (m.msgs().size() != m.msgIds().size()) {
                throw new CodecException(CodecException.Reason.UNENCODABLE, "MergedWarpMessage has "
                        + m.msgs().size() + " messages but " + m.msgIds().size() + " ids");
            }
            writeBatch(w, m.msgs(), m.msgIds());
        } else if (message instanceof MergeResultMessage m) {
            writeBatch(w, m.msgs(), null);
        } else if (message instanceof BatchResultMessage m) {
            if (m.results().size() != m.msgIds().size()) {
                throw new CodecException(CodecException.Reason.UNENCODABLE, "BatchResultMessage has "
                        + m.results().size() + " results but " + m.msgIds().size() + " ids");
            }
            writeBatch(w, m.results(), m.msgIds());
        } else {
            throw new CodecException(CodecException.Reason.UNENCODABLE,
                    "heartbeats have no body; the frame's messageType (3/4) carries them");
        }
    }

    /** {@code i32 L ‖ i16 count ‖ count × (typeCode ‖ payload) [‖ count × i32 id]} (spec §6.5). */
    private static void writeBatch(SeataWriter w, List<? extends Message> msgs, List<Integer> ids) {
        if (msgs.size() > Short.MAX_VALUE) {
            throw new CodecException(CodecException.Reason.UNENCODABLE,
                    "batch of " + msgs.size() + " exceeds " + Short.MAX_VALUE + " messages");
        }
        int lengthAt = w.size();
        w.i32(0);
        w.i16(msgs.size());
        for (Message m : msgs) {
            if (!(m instanceof Request) && !(m instanceof Response)) {
                throw new CodecException(CodecException.Reason.UNENCODABLE,
                        "a batch cannot contain type " + m.typeCode());
            }
            write(m, w);
        }
        if (ids != null) {
            for (Integer id : ids) {
                w.i32(RequestLayouts.required(id, "msgId"));
            }
        }
        w.setI32(lengthAt, w.size() - lengthAt - 4);
    }

    private static Message read(int typeCode, SeataReader r) {
        switch (typeCode) {
            case MessageTypes.SEATA_MERGE -> {
                SeataReader body = batchBody(r);
                int count = count(body);
                List<Request> msgs = new ArrayList<>(Math.min(count, 1024));
                for (int i = 0; i < count; i++) {
                    int sub = body.i16("sub-message typeCode");
                    Request req = RequestLayouts.decode(sub, body);
                    if (req == null) {
                        throw unknownSub(sub, "MergedWarpMessage");
                    }
                    msgs.add(req);
                }
                // seata-all reads the id list only if bytes remain (pre-1.x clients sent none).
                List<Integer> ids = body.remaining() == 0 ? List.of() : ids(body, count);
                body.expectEnd("MergedWarpMessage");
                return new MergedWarpMessage(msgs, ids);
            }
            case MessageTypes.SEATA_MERGE_RESULT -> {
                SeataReader body = batchBody(r);
                List<Response> results = responses(body, count(body), "MergeResultMessage");
                body.expectEnd("MergeResultMessage");
                return new MergeResultMessage(results);
            }
            case MessageTypes.BATCH_RESULT_MSG -> {
                SeataReader body = batchBody(r);
                int count = count(body);
                List<Response> results = responses(body, count, "BatchResultMessage");
                List<Integer> ids = ids(body, count);
                body.expectEnd("BatchResultMessage");
                return new BatchResultMessage(results, ids);
            }
            default -> {
                Message m = RequestLayouts.decode(typeCode, r);
                if (m == null) {
                    m = ResponseLayouts.decode(typeCode, r);
                }
                if (m == null) {
                    throw new CodecException(CodecException.Reason.UNKNOWN_TYPE_CODE,
                            "unknown SEATA message type code " + typeCode);
                }
                return m;
            }
        }
    }

    private static SeataReader batchBody(SeataReader r) {
        int length = r.i32("batch length");
        return r.slice(length, "batch content");
    }

    private static int count(SeataReader body) {
        int count = body.i16("batch count");
        if (count < 0) {
            throw SeataReader.malformed("negative batch count " + count);
        }
        return count;
    }

    private static List<Response> responses(SeataReader body, int count, String container) {
        List<Response> out = new ArrayList<>(Math.min(count, 1024));
        for (int i = 0; i < count; i++) {
            int sub = body.i16("sub-message typeCode");
            Response resp = ResponseLayouts.decode(sub, body);
            if (resp == null) {
                throw unknownSub(sub, container);
            }
            out.add(resp);
        }
        return out;
    }

    private static List<Integer> ids(SeataReader body, int count) {
        List<Integer> ids = new ArrayList<>(Math.min(count, 1024));
        for (int i = 0; i < count; i++) {
            ids.add(body.i32("msgId"));
        }
        return ids;
    }

    private static CodecException unknownSub(int sub, String container) {
        return new CodecException(CodecException.Reason.UNKNOWN_TYPE_CODE,
                "type code " + sub + " is not allowed inside a " + container);
    }
}
