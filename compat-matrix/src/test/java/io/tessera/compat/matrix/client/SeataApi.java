package io.tessera.compat.matrix.client;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * The few calls the matrix scenario makes on the unmodified client, by name, in the client's own
 * package ({@code io.seata} up to 2.0.0, {@code org.apache.seata} from 2.1). The classes and
 * signatures used are the same in every release from 1.5.2 to 2.6.0; reflection only spares us
 * compiling the scenario twice against two packages that cannot share a compile classpath (2.x jars
 * carry io.seata.* compatibility classes of their own).
 */
final class SeataApi {
    private final String pkg;
    private final ClassLoader loader = SeataApi.class.getClassLoader();

    /** @param pkg "io.seata" or "org.apache.seata" */
    SeataApi(String pkg) {
        this.pkg = pkg;
    }

    /** Version.getCurrent(): the client release as it will tell the coordinator. */
    String clientVersion() {
        return (String) callStatic("core.protocol.Version", "getCurrent");
    }

    void initTm(String applicationId, String group) {
        callStatic("tm.TMClient", "init", applicationId, group);
    }

    void initRm(String applicationId, String group) {
        callStatic("rm.RMClient", "init", applicationId, group);
    }

    /** GlobalTransactionContext.createNew(): an unbegun global transaction. */
    Object newGlobalTransaction() {
        return callStatic("tm.api.GlobalTransactionContext", "createNew");
    }

    /** begin(timeout, name), returns the xid. */
    String begin(Object tx, int timeoutMs, String name) {
        call(tx, "begin", timeoutMs, name);
        return (String) call(tx, "getXid");
    }

    /** commit() or rollback(), then the status the TC answered (getLocalStatus, no further call). */
    String end(Object tx, boolean commit) {
        call(tx, commit ? "commit" : "rollback");
        return String.valueOf(call(tx, "getLocalStatus"));
    }

    /**
     * Installs a TCC resource manager that is Seata's own TCCResourceManager (resource registration,
     * branch register on the RM connection) except for phase two, which {@code phaseTwo} answers with
     * the name of a BranchStatus. Registers {@code resourceIds} (each becomes a RegisterRM).
     */
    void installTcc(String group, PhaseTwo phaseTwo, String... resourceIds) {
        Object defaultRm = callStatic("rm.DefaultResourceManager", "get");
        Object tcc = construct("rm.tcc.TCCResourceManager");
        Class<?> rmType = type("core.model.ResourceManager");
        Object branchTcc = enumValue("core.model.BranchType", "TCC");
        InvocationHandler handler = (proxy, method, args) -> {
            String name = method.getName();
            if (name.equals("branchCommit") || name.equals("branchRollback")) {
                // (branchType, xid, branchId, resourceId, applicationData) in every release
                String status = phaseTwo.answer(name.equals("branchCommit"), (String) args[1], (Long) args[2],
                        (String) args[3]);
                return enumValue("core.model.BranchStatus", status);
            }
            try {
                return method.invoke(tcc, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        Object rm = Proxy.newProxyInstance(loader, new Class<?>[] {rmType}, handler);
        invoke(find(defaultRm.getClass(), "mockResourceManager", 2), null, branchTcc, rm);
        for (String id : resourceIds) {
            Object resource = construct("rm.tcc.TCCResource");
            call(resource, "setResourceGroupId", group);
            call(resource, "setActionName", id);
            call(rm, "registerResource", resource);
        }
    }

    /** DefaultResourceManager.get().branchRegister(TCC, resourceId, null, xid, applicationData, null). */
    long registerTccBranch(String xid, String resourceId, String applicationData) {
        Object defaultRm = callStatic("rm.DefaultResourceManager", "get");
        Object branchTcc = enumValue("core.model.BranchType", "TCC");
        return (Long) invoke(find(defaultRm.getClass(), "branchRegister", 6), defaultRm, branchTcc, resourceId, null,
                xid, applicationData, null);
    }

    /** What the scenario's TCC participant answers in phase two. */
    @FunctionalInterface
    interface PhaseTwo {
        /** @return a BranchStatus name, e.g. PhaseTwo_Committed */
        String answer(boolean commit, String xid, long branchId, String resourceId);
    }

    private Class<?> type(String relative) {
        try {
            return Class.forName(pkg + "." + relative, true, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the client has no " + pkg + "." + relative, e);
        }
    }

    private Object construct(String relative) {
        try {
            return type(relative).getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object enumValue(String relative, String name) {
        return Enum.valueOf((Class<? extends Enum>) type(relative), name);
    }

    private Object callStatic(String relative, String method, Object... args) {
        return invoke(find(type(relative), method, args.length), null, args);
    }

    private static Object call(Object target, String method, Object... args) {
        return invoke(find(target.getClass(), method, args.length), target, args);
    }

    /** The public method of that name and arity (unique in the classes used here). */
    private static Method find(Class<?> type, String name, int arity) {
        for (Method m : type.getMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == arity) {
                return m;
            }
        }
        throw new IllegalStateException(type.getName() + " has no public " + name + " with " + arity + " parameters");
    }

    private static Object invoke(Method m, Object target, Object... args) {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException r ? r : new ClientCallException(m.getName(), cause);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A checked exception (TransactionException, …) thrown by the client, carried unchecked. */
    static final class ClientCallException extends RuntimeException {
        ClientCallException(String method, Throwable cause) {
            super(method + ": " + cause, cause);
        }
    }
}
