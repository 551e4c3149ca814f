package io.tradergateway.fix;

import quickfix.MessageStore;
import quickfix.MessageStoreFactory;
import quickfix.SessionID;

import java.io.Closeable;
import java.io.IOException;
import java.util.Collection;
import java.util.Date;

/**
 * Keeps the Logon password out of the message store: QuickFIX/J persists every sent message, admin ones too, and our
 * Logon carries Password (554). A Logon is never re-sent from the store (a resend gap-fills admin messages), so the
 * stored copy may safely read {@code 554=****}; its BodyLength (9) and CheckSum (10) are set again for the masked text,
 * because a resend parses every stored message in its range and gives up on the first one that does not check.
 */
final class PasswordMaskingStoreFactory implements MessageStoreFactory {
    private final MessageStoreFactory delegate;

    PasswordMaskingStoreFactory(MessageStoreFactory delegate) {
        this.delegate = delegate;
    }

    @Override
    public MessageStore create(SessionID sessionID) {
        return new Store(delegate.create(sessionID));
    }

    private static final char SOH = '\u0001';

    /** {@code message} with BodyLength and CheckSum computed for its text as it is (unchanged if it is not framed). */
    static String reframed(String message) {
        int lengthField = message.indexOf(SOH + "9=");
        int trailer = message.lastIndexOf(SOH + "10=");
        if (lengthField < 0 || trailer < lengthField) return message;
        int bodyStart = message.indexOf(SOH, lengthField + 1) + 1;
        String body = message.substring(bodyStart, trailer + 1);
        String framed = message.substring(0, lengthField + 1) + "9=" + body.length() + SOH + body;
        int sum = 0;
        for (int i = 0; i < framed.length(); i++) sum += framed.charAt(i);
        return framed + String.format("10=%03d", sum % 256) + SOH;
    }

    private static final class Store implements MessageStore, Closeable {
        private final MessageStore store;

        Store(MessageStore store) {
            this.store = store;
        }

        @Override
        public boolean set(int sequence, String message) throws IOException {
            String masked = WatchedLogFactory.masked(message);
            return store.set(sequence, masked == null || masked.equals(message) ? message : reframed(masked));
        }

        @Override
        public void get(int startSequence, int endSequence, Collection<String> messages) throws IOException {
            store.get(startSequence, endSequence, messages);
        }

        @Override
        public int getNextSenderMsgSeqNum() throws IOException {
            return store.getNextSenderMsgSeqNum();
        }

        @Override
        public int getNextTargetMsgSeqNum() throws IOException {
            return store.getNextTargetMsgSeqNum();
        }

        @Override
        public void setNextSenderMsgSeqNum(int next) throws IOException {
            store.setNextSenderMsgSeqNum(next);
        }

        @Override
        public void setNextTargetMsgSeqNum(int next) throws IOException {
            store.setNextTargetMsgSeqNum(next);
        }

        @Override
        public void incrNextSenderMsgSeqNum() throws IOException {
            store.incrNextSenderMsgSeqNum();
        }

        @Override
        public void incrNextTargetMsgSeqNum() throws IOException {
            store.incrNextTargetMsgSeqNum();
        }

        @Override
        public Date getCreationTime() throws IOException {
            return store.getCreationTime();
        }

        @Override
        public void reset() throws IOException {
            store.reset();
        }

        @Override
        public void refresh() throws IOException {
            store.refresh();
        }

        @Override
        public void close() throws IOException {
            if (store instanceof Closeable c) c.close();
        }
    }
}
