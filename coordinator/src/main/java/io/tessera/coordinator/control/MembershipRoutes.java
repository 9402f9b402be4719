package io.tessera.coordinator.control;

/** Registers the membership admin API on a control server (see {@link MembersRoute}). */
public final class MembershipRoutes {
    private MembershipRoutes() {
    }

    public static void register(ControlServer server, MemberAdmin admin, String nodeId) {
        MembersRoute.register(server, admin, nodeId);
    }
}
