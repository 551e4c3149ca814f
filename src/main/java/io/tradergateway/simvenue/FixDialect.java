package io.tradergateway.simvenue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import quickfix.DataDictionary;
import quickfix.DataDictionaryProvider;
import quickfix.DefaultMessageFactory;
import quickfix.Field;
import quickfix.FieldMap;
import quickfix.FieldNotFound;
import quickfix.FixVersions;
import quickfix.Group;
import quickfix.Message;
import quickfix.MessageUtils;
import quickfix.Session;
import quickfix.SessionID;
import quickfix.field.ApplVerID;
import quickfix.field.CxlRejReason;
import quickfix.field.ExecTransType;
import quickfix.field.ExecType;
import quickfix.field.MDReqRejReason;
import quickfix.field.MsgType;
import quickfix.field.OrdRejReason;
import quickfix.field.OrdStatus;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Speaks a venue session's FIX version. The market builds every message in FIX 4.4 ({@link FixMessages}); for a
 * FIX.4.2 or FIXT.1.1 (FIX.5.0SP2) session this rebuilds it as that version's message class before it is sent:
 * fields and repeating groups the version's dictionary does not have in that message are left out, and values it
 * does not know are mapped. FIX 4.2 ExecutionReports get ExecTransType(20) (0 new, 3 status) and ExecType 1/2
 * (partial fill / fill) instead of F (trade), and for a status answer the order's OrdStatus instead of I; reject
 * reasons newer than 4.2 become 0 (OrdRejReason, broker option) or 2 (CxlRejReason, broker option), Text keeps the why.
 */
final class FixDialect {
    private static final Logger log = LoggerFactory.getLogger(FixDialect.class);
    private static final DefaultMessageFactory FACTORY = new DefaultMessageFactory(ApplVerID.FIX50SP2);
    /** What a reject reason the target version does not know becomes. */
    private static final Map<Integer, String> FALLBACK_VALUES = Map.of(
            OrdRejReason.FIELD, String.valueOf(OrdRejReason.BROKER_EXCHANGE_OPTION),
            CxlRejReason.FIELD, String.valueOf(CxlRejReason.BROKER_EXCHANGE_OPTION),
            MDReqRejReason.FIELD, String.valueOf(MDReqRejReason.UNKNOWN_SYMBOL));

    static final FixDialect FIX44 = new FixDialect(FixVersions.BEGINSTRING_FIX44, null);

    private final String beginString;
    /** The application dictionary of the session (null: no filtering). */
    private final DataDictionary dictionary;

    private FixDialect(String beginString, DataDictionary dictionary) {
        this.beginString = beginString;
        this.dictionary = dictionary;
    }

    /** The dialect of a live session (its BeginString and its own application dictionary). */
    static FixDialect of(SessionID id) {
        String begin = id.getBeginString();
        if (FixVersions.BEGINSTRING_FIX44.equals(begin)) return FIX44;
        DataDictionary dd = null;
        Session session = Session.lookupSession(id);
        DataDictionaryProvider provider = session == null ? null : session.getDataDictionaryProvider();
        if (provider != null) {
            ApplVerID applVerId = FixVersions.BEGINSTRING_FIXT11.equals(begin)
                    ? new ApplVerID(ApplVerID.FIX50SP2) : MessageUtils.toApplVerID(begin);
            dd = provider.getApplicationDataDictionary(applVerId);
        }
        return new FixDialect(begin, dd);
    }

    boolean isFix44() {
        return FixVersions.BEGINSTRING_FIX44.equals(beginString);
    }

    boolean isFix42() {
        return FixVersions.BEGINSTRING_FIX42.equals(beginString);
    }

    /** Whether the session's version has this application message type at all (4.2 has no SecurityListRequest). */
    boolean hasMessageType(String msgType) {
        return dictionary == null || dictionary.isMsgType(msgType);
    }

    /** The message in this session's version (the same object for FIX 4.4). */
    Message convert(Message fix44) {
        if (isFix44()) return fix44;
        try {
            String msgType = fix44.getHeader().getString(MsgType.FIELD);
            boolean fixt = FixVersions.BEGINSTRING_FIXT11.equals(beginString);
            String appBegin = fixt ? FixVersions.FIX50SP2 : beginString;
            Message out = FACTORY.create(beginString, fixt ? new ApplVerID(ApplVerID.FIX50SP2) : null, msgType);
            copyFields(fix44, out, msgType, true, dictionary);
            for (Iterator<Integer> groups = fix44.groupKeyIterator(); groups.hasNext(); ) {
                int groupTag = groups.next();
                DataDictionary.GroupInfo info = dictionary == null ? null : dictionary.getGroup(msgType, groupTag);
                if (dictionary != null && info == null) {
                    out.removeField(groupTag);
                    continue;
                }
                for (Group g : fix44.getGroups(groupTag)) {
                    Group copy = FACTORY.create(appBegin, msgType, groupTag);
                    copyFields(g, copy, msgType, false, info == null ? null : info.getDataDictionary());
                    out.addGroup(copy);
                }
            }
            if (isFix42() && MsgType.EXECUTION_REPORT.equals(msgType)) adaptExecutionReport42(out);
            mapUnknownValues(out);
            return out;
        } catch (FieldNotFound e) {
            throw new IllegalStateException("cannot convert to " + beginString + ": " + e.getMessage(), e);
        }
    }

    private static void copyFields(FieldMap from, FieldMap to, String msgType, boolean body, DataDictionary dd) {
        for (Iterator<Field<?>> it = from.iterator(); it.hasNext(); ) {
            Field<?> f = it.next();
            int tag = f.getTag();
            if (from.hasGroup(tag)) continue; // the count of a group: addGroup sets it
            if (dd != null && !(body ? dd.isMsgField(msgType, tag) : dd.isField(tag))) continue;
            to.setString(tag, f.getObject().toString());
        }
    }

    /** FIX 4.2: ExecTransType, and ExecType 1/2 for fills and the OrdStatus for status answers. */
    private static void adaptExecutionReport42(Message m) throws FieldNotFound {
        char execType = m.getChar(ExecType.FIELD);
        char ordStatus = m.getChar(OrdStatus.FIELD);
        char transType = ExecTransType.NEW;
        if (execType == ExecType.TRADE) {
            execType = ordStatus == OrdStatus.FILLED ? ExecType.FILL : ExecType.PARTIAL_FILL;
        } else if (execType == ExecType.ORDER_STATUS) {
            transType = ExecTransType.STATUS;
            execType = ordStatus;
        }
        m.setChar(ExecTransType.FIELD, transType);
        m.setChar(ExecType.FIELD, execType);
    }

    private void mapUnknownValues(Message m) {
        if (dictionary == null) return;
        Map<Integer, String> changes = new HashMap<>();
        for (Iterator<Field<?>> it = m.iterator(); it.hasNext(); ) {
            Field<?> f = it.next();
            int tag = f.getTag();
            String value = f.getObject().toString();
            if (!dictionary.hasFieldValue(tag) || dictionary.isFieldValue(tag, value)) continue;
            String fallback = FALLBACK_VALUES.get(tag);
            if (fallback != null) {
                changes.put(tag, fallback);
            } else {
                log.warn("{}: value {} of tag {} is not in the dictionary; sent anyway", beginString, value, tag);
            }
        }
        changes.forEach(m::setString);
    }
}
