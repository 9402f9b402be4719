package io.tessera.compat.fuzz;

import java.util.SplittableRandom;

/**
 * Input {@code index} of {@code seed}: generated from {@code SplittableRandom} seeded with the pair alone, so
 * the same bytes come back for a replay, whatever ran before (tokens and registration signatures aside, which
 * are the live cluster's). With target {@code all}: 60 % transaction port, 37 % control port, 3 % raft port.
 */
final class InputSource {
    private final long seed;
    private final String target;
    private final TxInputs tx = new TxInputs();
    private final HttpInputs http;
    private final RaftInputs raft = new RaftInputs();

    InputSource(long seed, String target, HttpInputs.Tokens tokens) {
        this.seed = seed;
        this.target = target;
        this.http = new HttpInputs(tokens);
    }

    FuzzInput input(long index) {
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
        FuzzInput.Target t = switch (target) {
            case "tx" -> FuzzInput.Target.TX;
            case "http" -> FuzzInput.Target.HTTP;
            case "raft" -> FuzzInput.Target.RAFT;
            default -> {
                int r = rng.nextInt(100);
                yield r < 60 ? FuzzInput.Target.TX : r < 97 ? FuzzInput.Target.HTTP : FuzzInput.Target.RAFT;
            }
        };
        return switch (t) {
            case TX -> tx.generate(index, rng);
            case HTTP -> http.generate(index, rng);
            case RAFT -> raft.generate(index, rng);
        };
    }
}
