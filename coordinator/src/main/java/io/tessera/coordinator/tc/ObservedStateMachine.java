package io.tessera.coordinator.tc;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.raft.group.ApplyHaltException;
import io.tessera.raft.group.ApplyTarget;
import io.tessera.raft.proto.TxResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps the transaction state machine and tells listeners what each applied entry meant. The state
 * stays the delegate's alone: this class only reads the results after the batch is durable,
 * so leader and follower apply exactly the same way and observers can never change the outcome.
 */
public final class ObservedStateMachine implements ApplyTarget {
    private static final Logger LOG = LoggerFactory.getLogger(ObservedStateMachine.class);

    private final ApplyTarget delegate;
    private final List<TxEventListener> listeners = new CopyOnWriteArrayList<>();

    public ObservedStateMachine(ApplyTarget delegate) {
        this.delegate = delegate;
    }

    public void addListener(TxEventListener listener) {
        listeners.add(listener);
    }

    @Override
    public void open() throws IOException {
        delegate.open();
    }

    @Override
    public List<byte[]> applyBatch(List<Entry> entries) throws ApplyHaltException {
        List<byte[]> results = delegate.applyBatch(entries);
        if (!listeners.isEmpty()) {
            for (int i = 0; i < results.size(); i++) {
                publish(results.get(i));
            }
        }
        return results;
    }

    private void publish(byte[] resultBytes) {
        TxResult result;
        try {
            result = TxResult.parseFrom(resultBytes);
        } catch (InvalidProtocolBufferException e) {
            // The delegate produced these bytes; an observer never halts the replica.
            LOG.warn("cannot observe applied entry: {}", e.getMessage());
            return;
        }
        if (!result.getApplied() || result.getXid().isEmpty()) {
            return;
        }
        GlobalStatus status = GlobalStatus.of(result.getGlobalStatus());
        String xid = result.getXid();
        for (TxEventListener l : listeners) {
            try {
                if (status.isEnded()) {
                    l.onEnded(xid, status);
                } else if (result.getDecided()) {
                    l.onDecided(xid, status);
                } else if (isRetrying(status)) {
                    l.onRetrying(xid, status);
                }
            } catch (RuntimeException e) {
                LOG.error("transaction event listener failed for xid {}", xid, e);
            }
        }
    }

    static boolean isRetrying(GlobalStatus s) {
        return s == GlobalStatus.CommitRetrying || s == GlobalStatus.RollbackRetrying
                || s == GlobalStatus.TimeoutRollbackRetrying;
    }

    @Override
    public long lastAppliedIndex() {
        return delegate.lastAppliedIndex();
    }

    @Override
    public void saveSnapshot(Path dir) throws IOException {
        delegate.saveSnapshot(dir);
    }

    @Override
    public void loadSnapshot(Path dir) throws IOException {
        delegate.loadSnapshot(dir);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
