package io.tessera.codec.protobuf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import io.tessera.codec.protobuf.generated.SeataEnumsProto;
import io.tessera.codec.protobuf.generated.SeataMessagesProto;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Our .proto files against the descriptors compiled into seata-serializer-protobuf 2.2.0: every
 * message the reference has (except the TCP-unused HeartbeatMessageProto) must exist under the same
 * full name with the same field numbers, wire types, cardinality, packing and referenced types, and
 * every enum must have the same set of numbers. Field and enum value names are ours and not compared.
 */
class ProtobufSchemaCompatibilityTest {

    private static final String PACKAGE = "org.apache.seata.protocol.protobuf";

    @Test
    void everyReferenceMessageHasTheSameWireShape() {
        Map<String, Descriptor> theirs = messages(reference());
        Map<String, Descriptor> ours = messages(Set.of(SeataMessagesProto.getDescriptor(), SeataEnumsProto.getDescriptor()));
        theirs.remove(PACKAGE + ".HeartbeatMessageProto");
        assertEquals(theirs.keySet(), ours.keySet(), "message full names");
        for (Descriptor their : theirs.values()) {
            Descriptor our = ours.get(their.getFullName());
            assertEquals(shape(their), shape(our), their.getFullName());
        }
    }

    @Test
    void everyReferenceEnumHasTheSameNumbers() {
        Map<String, EnumDescriptor> theirs = enums(reference());
        Map<String, EnumDescriptor> ours = enums(Set.of(SeataEnumsProto.getDescriptor()));
        assertEquals(theirs.keySet(), ours.keySet(), "enum full names");
        for (EnumDescriptor their : theirs.values()) {
            assertEquals(numbers(their), numbers(ours.get(their.getFullName())), their.getFullName());
        }
    }

    @Test
    void transactionExceptionCodeNamesLineUpWithOurModel() {
        // Numbers alone cannot show the off-by-one shift against the SEATA ordinals; names can.
        EnumDescriptor their = org.apache.seata.serializer.protobuf.generated.TransactionExceptionCodeProto.getDescriptor();
        for (EnumValueDescriptor v : their.getValues()) {
            var model = io.tessera.codec.message.TransactionExceptionCode.valueOf(v.getName());
            assertEquals(v.getNumber(), ProtoEnums.exceptionCode(model), v.getName());
            assertEquals(model, ProtoEnums.exceptionCode(v.getNumber()), v.getName());
        }
    }

    @Test
    void branchAndGlobalStatusNamesLineUpWithOurModel() {
        for (EnumValueDescriptor v : org.apache.seata.serializer.protobuf.generated.GlobalStatusProto.getDescriptor().getValues()) {
            assertEquals(io.tessera.codec.message.GlobalStatus.valueOf(v.getName()), ProtoEnums.globalStatus(v.getNumber()));
        }
        for (EnumValueDescriptor v : org.apache.seata.serializer.protobuf.generated.BranchStatusProto.getDescriptor().getValues()) {
            String name = v.getName().equals("BUnknown") ? "Unknown" : v.getName();
            assertEquals(io.tessera.codec.message.BranchStatus.valueOf(name), ProtoEnums.branchStatusByName(v.getNumber()));
        }
        for (EnumValueDescriptor v : org.apache.seata.serializer.protobuf.generated.BranchTypeProto.getDescriptor().getValues()) {
            assertEquals(io.tessera.codec.message.BranchType.valueOf(v.getName()), ProtoEnums.branchType(v.getNumber()));
        }
    }

    /** All files reachable from the reference's top-level bodies. */
    private static Set<FileDescriptor> reference() {
        Deque<FileDescriptor> todo = new ArrayDeque<>();
        todo.add(org.apache.seata.serializer.protobuf.generated.MergedWarpMessageProto.getDescriptor().getFile());
        todo.add(org.apache.seata.serializer.protobuf.generated.MergedResultMessageProto.getDescriptor().getFile());
        todo.add(org.apache.seata.serializer.protobuf.generated.BatchResultMessageProto.getDescriptor().getFile());
        todo.add(org.apache.seata.serializer.protobuf.generated.HeartbeatMessageProto.getDescriptor().getFile());
        for (Class<?> c : new Class<?>[] {
            org.apache.seata.serializer.protobuf.generated.RegisterTMRequestProto.class,
            org.apache.seata.serializer.protobuf.generated.RegisterTMResponseProto.class,
            org.apache.seata.serializer.protobuf.generated.RegisterRMRequestProto.class,
            org.apache.seata.serializer.protobuf.generated.RegisterRMResponseProto.class,
            org.apache.seata.serializer.protobuf.generated.GlobalBeginRequestProto.class,
            org.apache.seata.serializer.protobuf.generated.GlobalBeginResponseProto.class,
            org.apache.seata.serializer.protobuf.generated.GlobalCommitRequestProto.class,
            org.apache.seata.serializer.protobuf.generated.GlobalCommitResponseProto.class,
            org.apache.seata.serializer.protobuf.generated.GlobalRollbackRequestProto.class,
            org.apache.seata.serializer.protobuf.generated.GlobalRollbackResponseProto.class,
            org.apache.seata.serializer.protobuf.generated.GlobalStatusRequestProto.class,
            org.apache.seata.serializer.protobuf.generated.GlobalStatusResponseProto.class,
            org.apache.seata.serializer.protobuf.generated.GlobalReportRequestProto.class,
            org.apache.seata.serializer.protobuf.generated.GlobalReportResponseProto.class,
            org.apache.seata.serializer.protobuf.generated.BranchRegisterRequestProto.class,
            org.apache.seata.serializer.protobuf.generated.BranchRegisterResponseProto.class,
            org.apache.seata.serializer.protobuf.generated.BranchReportRequestProto.class,
            org.apache.seata.serializer.protobuf.generated.BranchReportResponseProto.class,
            org.apache.seata.serializer.protobuf.generated.GlobalLockQueryRequestProto.class,
            org.apache.seata.serializer.protobuf.generated.GlobalLockQueryResponseProto.class,
            org.apache.seata.serializer.protobuf.generated.BranchCommitRequestProto.class,
            org.apache.seata.serializer.protobuf.generated.BranchCommitResponseProto.class,
            org.apache.seata.serializer.protobuf.generated.BranchRollbackRequestProto.class,
            org.apache.seata.serializer.protobuf.generated.BranchRollbackResponseProto.class,
            org.apache.seata.serializer.protobuf.generated.UndoLogDeleteRequestProto.class}) {
            try {
                todo.add(((Descriptor) c.getMethod("getDescriptor").invoke(null)).getFile());
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(c.getName(), e);
            }
        }
        Set<FileDescriptor> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            FileDescriptor f = todo.pop();
            if (seen.add(f)) {
                todo.addAll(f.getDependencies());
            }
        }
        return seen;
    }

    private static Map<String, Descriptor> messages(Set<FileDescriptor> files) {
        Map<String, Descriptor> out = new TreeMap<>();
        for (FileDescriptor f : files) {
            if (f.getPackage().equals(PACKAGE)) {
                for (Descriptor d : f.getMessageTypes()) {
                    assertTrue(d.getNestedTypes().isEmpty() && d.getEnumTypes().isEmpty() && d.getOneofs().isEmpty(),
                            d.getFullName());
                    assertNull(out.put(d.getFullName(), d), "duplicate " + d.getFullName());
                }
            }
        }
        return out;
    }

    private static Map<String, EnumDescriptor> enums(Set<FileDescriptor> files) {
        Map<String, EnumDescriptor> out = new TreeMap<>();
        for (FileDescriptor f : files) {
            if (f.getPackage().equals(PACKAGE)) {
                f.getEnumTypes().forEach(e -> out.put(e.getFullName(), e));
            }
        }
        return out;
    }

    private static Set<String> shape(Descriptor d) {
        Set<String> fields = new TreeSet<>();
        for (FieldDescriptor f : d.getFields()) {
            String ref = switch (f.getJavaType()) {
                case MESSAGE -> f.getMessageType().getFullName();
                case ENUM -> f.getEnumType().getFullName();
                default -> "";
            };
            fields.add(f.getNumber() + " " + f.getType() + " " + ref + (f.isRepeated() ? " repeated" : "")
                    + (f.isPacked() ? " packed" : "") + (f.hasPresence() ? " presence" : ""));
        }
        return fields;
    }

    private static Set<Integer> numbers(EnumDescriptor e) {
        return e.getValues().stream().map(EnumValueDescriptor::getNumber).collect(Collectors.toCollection(TreeSet::new));
    }
}
