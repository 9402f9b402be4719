package io.tessera.codec.protobuf;

/**
 * The two package names Seata's PROTOBUF messages have had. The full message name travels on the wire
 * (the body's name prefix and the type URL of every batch element) and the receiver looks it up among
 * its own descriptors, so each client line understands only its own naming:
 * <ul>
 *   <li>{@link #IO_SEATA}: io.seata clients 1.x and 2.0.0 ({@code io.seata.protocol.protobuf.*}),</li>
 *   <li>{@link #APACHE}: org.apache.seata clients 2.1+ ({@code org.apache.seata.protocol.protobuf.*}).</li>
 * </ul>
 * Apart from the package the schemas are the same field for field; the only difference is the value
 * {@code PhaseOne_RDONLY = 13} that 2.2.0 added to BranchStatusProto. A coordinator never sends that
 * enum by name (branch-end answers carry the status by number and come from the client), and an io.seata
 * client cannot send 13, so one generated schema serves both namings: we map by name rather than
 * generating the whole schema twice.
 */
public enum ProtoNaming {
    APACHE("org.apache.seata.protocol.protobuf."),
    IO_SEATA("io.seata.protocol.protobuf.");

    private static final String TYPE_URL_PREFIX = "type.googleapis.com/";

    private final String packagePrefix;

    ProtoNaming(String packagePrefix) {
        this.packagePrefix = packagePrefix;
    }

    /** @return the naming of a full message name, or null for a name in neither package */
    public static ProtoNaming of(String fullName) {
        for (ProtoNaming naming : values()) {
            if (fullName.startsWith(naming.packagePrefix) && fullName.length() > naming.packagePrefix.length()) {
                return naming;
            }
        }
        return null;
    }

    /** "RegisterTMRequestProto" → "io.seata.protocol.protobuf.RegisterTMRequestProto" (for IO_SEATA). */
    String fullName(String messageName) {
        return packagePrefix + messageName;
    }

    /** The message name without this naming's package; {@code fullName} must be of this naming. */
    String messageName(String fullName) {
        return fullName.substring(packagePrefix.length());
    }

    /** What {@code Any.pack} would write, in this naming. */
    String typeUrl(String messageName) {
        return TYPE_URL_PREFIX + fullName(messageName);
    }
}
