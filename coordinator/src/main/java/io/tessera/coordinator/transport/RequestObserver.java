package io.tessera.coordinator.transport;

import io.tessera.codec.message.Request;
import io.tessera.codec.message.Response;

/**
 * Hears what the dispatcher answered, for monitoring. Called on the thread that completes the answer (a
 * request worker or a Netty event loop): must only record (a counter, a timer), never block.
 */
public interface RequestObserver {
    RequestObserver NONE = new RequestObserver() {
        @Override
        public void answered(Request request, Response answer, long nanos) {
        }

        @Override
        public void failedWith(Throwable error) {
        }
    };

    /**
     * @param answer what was written back; null when the answer was withheld (an undecided commit/rollback)
     * @param nanos from receipt to answer
     */
    void answered(Request request, Response answer, long nanos);

    /** A request failed with this exception (its Failed answer is reported to {@link #answered} too). */
    void failedWith(Throwable error);
}
