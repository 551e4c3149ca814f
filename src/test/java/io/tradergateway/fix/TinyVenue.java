package io.tradergateway.fix;

import quickfix.Application;
import quickfix.ConfigError;
import quickfix.DefaultMessageFactory;
import quickfix.FieldNotFound;
import quickfix.MemoryStoreFactory;
import quickfix.Message;
import quickfix.RejectLogon;
import quickfix.SLF4JLogFactory;
import quickfix.Session;
import quickfix.SessionID;
import quickfix.SessionNotFound;
import quickfix.SessionSettings;
import quickfix.SocketAcceptor;
import quickfix.field.BusinessRejectReason;
import quickfix.field.MsgSeqNum;
import quickfix.field.MsgType;
import quickfix.field.RefMsgType;
import quickfix.field.RefSeqNum;
import quickfix.field.Text;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny in-test QuickFIX/J acceptor standing in for brokers of different FIX versions: it records every Logon and
 * application message per venue, refuses OrderStatusRequests and SecurityListRequests with a BusinessMessageReject
 * (35=j), and can refuse logons.
 */
final class TinyVenue implements Application, AutoCloseable {
    /** One acceptor session: the venue name (its SenderCompID), BeginString and port. */
    record Venue(String name, FixVersion version, int port) {
    }

    private final SocketAcceptor acceptor;
    private final Map<String, SessionID> sessions = new LinkedHashMap<>();
    private final Map<String, List<Message>> logons = new ConcurrentHashMap<>();
    private final Map<String, List<Message>> received = new ConcurrentHashMap<>();
    private final Map<String, List<Message>> logouts = new ConcurrentHashMap<>();
    private final Set<String> refusingLogon = ConcurrentHashMap.newKeySet();
    private final DefaultMessageFactory messages = new DefaultMessageFactory();

    TinyVenue(List<Venue> venues) throws ConfigError {
        SessionSettings settings = new SessionSettings();
        settings.setString("ConnectionType", "acceptor");
        settings.setString("StartTime", "00:00:00");
        settings.setString("EndTime", "00:00:00");
        settings.setString("NonStopSession", "Y");
        settings.setString("UseDataDictionary", "Y");
        settings.setString("ValidateUserDefinedFields", "N");
        settings.setString("CheckLatency", "N");
        for (Venue v : venues) {
            SessionID id = new SessionID(v.version().beginString(), v.name(), "GATEWAY");
            settings.setLong(id, "SocketAcceptPort", v.port());
            if (v.version().isFixt()) {
                settings.setString(id, "DefaultApplVerID", "FIX.5.0SP2");
                settings.setString(id, "TransportDataDictionary", FixVersion.FIXT11_DICTIONARY);
                settings.setString(id, "AppDataDictionary", v.version().dictionary());
            } else {
                settings.setString(id, "DataDictionary", v.version().dictionary());
            }
            sessions.put(v.name(), id);
            logons.put(v.name(), new CopyOnWriteArrayList<>());
            received.put(v.name(), new CopyOnWriteArrayList<>());
            logouts.put(v.name(), new CopyOnWriteArrayList<>());
        }
        acceptor = new SocketAcceptor(this, new MemoryStoreFactory(), settings, new SLF4JLogFactory(settings), messages);
        acceptor.start();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The venue answers every Logon from now on with a Logout saying {@code invalid password}. */
    void refuseLogons(String venue) {
        refusingLogon.add(venue);
    }

    /** The venue expects this MsgSeqNum next from the gateway (a higher one makes the gateway's Logon too low). */
    void expectNextFromGateway(String venue, int seqNum) throws IOException {
        Session.lookupSession(sessions.get(venue)).setNextTargetMsgSeqNum(seqNum);
    }

    List<Message> logons(String venue) {
        return new ArrayList<>(logons.get(venue));
    }

    /** Every Logout (35=5) the gateway sent to this venue, oldest first. */
    List<Message> logouts(String venue) {
        return new ArrayList<>(logouts.get(venue));
    }

    /** The next MsgSeqNum this venue expects from the gateway, and the next it will send. */
    int[] sequenceNumbers(String venue) {
        Session s = Session.lookupSession(sessions.get(venue));
        try {
            return new int[]{s.getStore().getNextTargetMsgSeqNum(), s.getStore().getNextSenderMsgSeqNum()};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Message> received(String venue, String msgType) {
        return received.get(venue).stream().filter(m -> msgType.equals(FixTranslator.optString(m.getHeader(), MsgType.FIELD))).toList();
    }

    boolean isLoggedOn(String venue) {
        Session s = Session.lookupSession(sessions.get(venue));
        return s != null && s.isLoggedOn();
    }

    @Override
    public void close() {
        acceptor.stop(true);
    }

    @Override
    public void onCreate(SessionID sessionId) {
    }

    @Override
    public void onLogon(SessionID sessionId) {
    }

    @Override
    public void onLogout(SessionID sessionId) {
    }

    @Override
    public void toAdmin(Message message, SessionID sessionId) {
    }

    @Override
    public void fromAdmin(Message message, SessionID sessionId) throws RejectLogon {
        String venue = sessionId.getSenderCompID();
        if (MsgType.LOGOUT.equals(FixTranslator.optString(message.getHeader(), MsgType.FIELD))) logouts.get(venue).add(message);
        if (MsgType.LOGON.equals(FixTranslator.optString(message.getHeader(), MsgType.FIELD))) {
            logons.get(venue).add(message);
            if (refusingLogon.contains(venue)) throw new RejectLogon("invalid password");
        }
    }

    @Override
    public void toApp(Message message, SessionID sessionId) {
    }

    @Override
    public void fromApp(Message message, SessionID sessionId) throws FieldNotFound {
        String venue = sessionId.getSenderCompID();
        received.get(venue).add(message);
        String type = message.getHeader().getString(MsgType.FIELD);
        if (MsgType.ORDER_STATUS_REQUEST.equals(type) || MsgType.SECURITY_LIST_REQUEST.equals(type)) {
            Message reject = messages.create(sessionId.getBeginString(), MsgType.BUSINESS_MESSAGE_REJECT);
            reject.setInt(RefSeqNum.FIELD, message.getHeader().getInt(MsgSeqNum.FIELD));
            reject.setString(RefMsgType.FIELD, type);
            reject.setInt(BusinessRejectReason.FIELD, BusinessRejectReason.UNSUPPORTED_MESSAGE_TYPE);
            reject.setString(Text.FIELD, "we do not take 35=" + type);
            try {
                Session.sendToTarget(reject, sessionId);
            } catch (SessionNotFound e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
