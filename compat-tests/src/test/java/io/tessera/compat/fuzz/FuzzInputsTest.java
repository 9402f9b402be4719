package io.tessera.compat.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.codec.FrameCodec;
import io.tessera.codec.RpcFrame;
import io.tessera.codec.message.GlobalBeginRequest;
import io.tessera.codec.seata.SeataBodyCodec;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The generators without a cluster: replayable from (seed, index), and honest about complete frames. */
class FuzzInputsTest {
    private static final HttpInputs.Tokens TOKENS = new HttpInputs.Tokens("client-token", "admin-token");

    @Test
    void anInputIsTheSameBytesWhateverWasGeneratedBefore() {
        InputSource forward = new InputSource(42, "all", TOKENS);
        InputSource single = new InputSource(42, "all", TOKENS);
        FuzzInput[] all = new FuzzInput[800];
        for (int i = 0; i < all.length; i++) {
            all[i] = forward.input(i);
        }
        for (int i : new int[] {0, 1, 555, 799}) {
            FuzzInput again = single.input(i);
            assertArrayEquals(all[i].payload(), again.payload(), "input " + i);
            assertEquals(all[i].describe(), again.describe());
        }
        assertFalse(Arrays.equals(all[5].payload(), new InputSource(43, "all", TOKENS).input(5).payload()));
    }

    @Test
    void everyTargetAndRegistrationKindIsCovered() {
        InputSource source = new InputSource(7, "all", TOKENS);
        Map<FuzzInput.Target, Integer> targets = new EnumMap<>(FuzzInput.Target.class);
        Map<FuzzInput.Register, Integer> registers = new EnumMap<>(FuzzInput.Register.class);
        int awaited = 0;
        for (int i = 0; i < 1_500; i++) {
            FuzzInput in = source.input(i);
            targets.merge(in.target(), 1, Integer::sum);
            if (in.target() == FuzzInput.Target.TX) {
                registers.merge(in.register(), 1, Integer::sum);
                assertEquals(Framing.completeOrBroken(in.payload(), FrameCodec.DEFAULT_MAX_FRAME_LENGTH), in.awaitAnswer());
            }
            awaited += in.awaitAnswer() ? 1 : 0;
        }
        assertEquals(FuzzInput.Target.values().length, targets.size(), targets.toString());
        assertEquals(FuzzInput.Register.values().length, registers.size(), registers.toString());
        assertTrue(awaited > 750, "most inputs must be checked for an answer: " + awaited);
    }

    @Test
    void framingTellsCompleteAndBrokenFromIncomplete() {
        byte[] frame = new FrameCodec(FrameCodec.DEFAULT_MAX_FRAME_LENGTH, List.of(new SeataBodyCodec()))
                .encode(RpcFrame.request(1, RpcFrame.CODEC_SEATA, new GlobalBeginRequest(60_000, "t")));
        int max = FrameCodec.DEFAULT_MAX_FRAME_LENGTH;
        assertTrue(Framing.completeOrBroken(frame, max));
        byte[] two = Arrays.copyOf(frame, frame.length * 2);
        System.arraycopy(frame, 0, two, frame.length, frame.length);
        assertTrue(Framing.completeOrBroken(two, max));
        assertFalse(Framing.completeOrBroken(Arrays.copyOf(frame, frame.length - 1), max), "the node waits for the rest");
        assertFalse(Framing.completeOrBroken(Arrays.copyOf(frame, 5), max), "a valid prefix waits too");
        byte[] badMagic = frame.clone();
        badMagic[1] = 0;
        assertTrue(Framing.completeOrBroken(badMagic, max), "refused at once");
        byte[] tooLong = frame.clone();
        tooLong[3] = 0x7F;
        assertTrue(Framing.completeOrBroken(tooLong, max), "over the maximum: refused at once");
    }
}
