package io.tessera.compat.chaos;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The fault schedule, made from a seed alone (java.util.Random): the same seed and kinds give the same
 * steps, so a failing run is replayed with its seed. Steps come in rounds, each round every enabled kind
 * once in a shuffled order, so a short run still meets every kind. Targets are named by role and a pick
 * number (which follower), resolved against the cluster when the step runs.
 */
record FaultPlan(long seed, List<Step> steps) {
    /** One fault: how long it holds (down, paused, cut, starved) and the quiet gap after recovery. */
    record Step(int index, FaultKind kind, long holdMs, long gapMs, int pick, FaultKind with) {
        @Override
        public String toString() {
            return "#" + index + " " + kind + (with != null ? "+" + with : "") + " hold=" + holdMs + "ms gap=" + gapMs
                    + "ms pick=" + pick;
        }
    }

    static FaultPlan generate(long seed, List<FaultKind> kinds, int maxSteps, long electionTimeoutMs) {
        Random r = new Random(seed);
        List<Step> steps = new ArrayList<>();
        while (steps.size() < maxSteps) {
            List<FaultKind> round = new ArrayList<>(kinds);
            Collections.shuffle(round, r);
            for (FaultKind k : round) {
                if (steps.size() == maxSteps) {
                    break;
                }
                FaultKind with = null;
                if (k == FaultKind.COMBO) {
                    with = r.nextBoolean() ? FaultKind.PAUSE_FOLLOWER : FaultKind.CPU_STARVE;
                }
                steps.add(new Step(steps.size(), k, hold(k, r, electionTimeoutMs), 300 + r.nextInt(1200), r.nextInt(1000),
                        with));
            }
        }
        return new FaultPlan(seed, List.copyOf(steps));
    }

    private static long hold(FaultKind k, Random r, long election) {
        return switch (k) {
            // down time before the restart (the restart itself takes seconds more)
            case KILL_LEADER, KILL_FOLLOWER -> 200 + r.nextInt(2000);
            // longer than the election timeout: 1.5 to 4 times it
            case PAUSE_LEADER, PAUSE_FOLLOWER -> election * 3 / 2 + r.nextInt((int) (election * 5 / 2));
            case ISOLATE_LEADER, SPLIT, ONE_WAY -> election * 2 + r.nextInt((int) (election * 4));
            case CPU_STARVE -> 2000 + r.nextInt(5000);
            case COMBO -> election * 2 + r.nextInt((int) (election * 3));
        };
    }

    /** The primary kind a COMBO step applies on top of its {@code with}: leader kill, isolation or pause. */
    static FaultKind comboPrimary(Step s) {
        return switch (s.pick() % 3) {
            case 0 -> FaultKind.KILL_LEADER;
            case 1 -> FaultKind.ISOLATE_LEADER;
            default -> FaultKind.PAUSE_LEADER;
        };
    }

    String describe() {
        StringBuilder b = new StringBuilder("CHAOS schedule seed=" + seed + " steps=" + steps.size() + "\n");
        for (Step s : steps) {
            b.append("CHAOS   ").append(s).append(s.kind() == FaultKind.COMBO ? " primary=" + comboPrimary(s) : "")
                    .append('\n');
        }
        return b.toString();
    }
}
