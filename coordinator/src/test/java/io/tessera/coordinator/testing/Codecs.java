package io.tessera.coordinator.testing;

import io.tessera.codec.FrameCodec;
import io.tessera.codec.protobuf.ProtobufBodyCodec;
import io.tessera.codec.seata.SeataBodyCodec;
import java.util.List;

public final class Codecs {
    private Codecs() {
    }

    public static FrameCodec frameCodec() {
        return new FrameCodec(FrameCodec.DEFAULT_MAX_FRAME_LENGTH, List.of(new SeataBodyCodec(), new ProtobufBodyCodec()));
    }
}
