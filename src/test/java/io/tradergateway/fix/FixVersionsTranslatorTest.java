package io.tradergateway.fix;

import io.tradergateway.domain.ClOrdId;
import io.tradergateway.domain.Instrument;
import io.tradergateway.domain.Side;
import io.tradergateway.execution.ExecType;
import io.tradergateway.execution.OrderCommand;
import io.tradergateway.execution.OrderStatus;
import io.tradergateway.execution.OrderType;
import io.tradergateway.execution.TimeInForce;
import io.tradergateway.execution.VenueCancelReject;
import io.tradergateway.execution.VenueExecutionReport;
import io.tradergateway.market.BookLevelUpdate;
import io.tradergateway.market.MarketDataEvent;
import io.tradergateway.market.TradePrint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import quickfix.DataDictionary;
import quickfix.DefaultMessageFactory;
import quickfix.Group;
import quickfix.Message;
import quickfix.field.BeginString;
import quickfix.field.MsgSeqNum;
import quickfix.field.MsgType;
import quickfix.field.SenderCompID;
import quickfix.field.SendingTime;
import quickfix.field.TargetCompID;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * SPEC 4.1: the translator builds and reads FIX 4.2, FIX 4.4 and FIX 5.0SP2 (FIXT.1.1) messages. Outbound messages are
 * validated against the shipped dictionary of their version, sent through the wire format and parsed back; inbound
 * messages are built in code the way a venue of that version sends them, parsed from the wire and translated.
 */
class FixVersionsTranslatorTest {
    private static final String VENUE = "BROKER";
    private static final Instant TRANSACT = Instant.parse("2026-11-25T10:00:00.123Z");
    private static final Instant RECEIVED = Instant.parse("2026-11-25T10:00:01.300Z");
    private static final Map<Integer, String> ORDER_FIELDS = Map.of(1, "ACC-7", 100, "XNAS", 21, "2");

    private static DataDictionary fix42;
    private static DataDictionary fix44;
    private static DataDictionary fixt11;
    private static DataDictionary fix50sp2;

    @BeforeAll
    static void loadDictionaries() throws Exception {
        fix42 = new DataDictionary("dictionaries/FIX42.xml");
        fix44 = new DataDictionary("dictionaries/FIX44.xml");
        fixt11 = new DataDictionary("dictionaries/FIXT11.xml");
        fix50sp2 = new DataDictionary("dictionaries/FIX50SP2.xml");
    }

    private static OrderCommand.NewOrder limitOrder() {
        return new OrderCommand.NewOrder(VENUE, new ClOrdId("GW7-000001"), "IBM", Side.BUY, OrderType.LIMIT,
                new BigDecimal("200"), new BigDecimal("141.25"), TimeInForce.DAY, null, TRANSACT);
    }

    private static OrderCommand.Cancel cancel() {
        return new OrderCommand.Cancel(VENUE, new ClOrdId("GW7-000001-C1"), new ClOrdId("GW7-000001"), "IBM", Side.BUY,
                new BigDecimal("200"), TRANSACT);
    }

    private static OrderCommand.Replace replace() {
        return new OrderCommand.Replace(VENUE, new ClOrdId("GW7-000001-R1"), new ClOrdId("GW7-000001"), "IBM", Side.BUY,
                OrderType.LIMIT, new BigDecimal("100"), new BigDecimal("141.5"), TimeInForce.GTD,
                Instant.parse("2026-11-25T16:00:00Z"), TRANSACT);
    }

    private static OrderCommand.StatusRequest status() {
        return new OrderCommand.StatusRequest(VENUE, new ClOrdId("GW7-000001"), "IBM", Side.BUY);
    }

    private static OrderCommand.SubscribeMarketData subscribe() {
        return new OrderCommand.SubscribeMarketData(VENUE, "MD-1", List.of("IBM", "MSFT"));
    }

    // ================================================================ outbound, every version

    @Nested
    class Outbound {
        @ParameterizedTest
        @EnumSource(FixVersion.class)
        void everyCommandIsAValidMessageOfTheSessionsVersion(FixVersion version) throws Exception {
            for (OrderCommand command : List.of(limitOrder(), cancel(), replace(), status(), subscribe())) {
                Message msg = FixTranslator.toFix(version, command, ORDER_FIELDS);
                assertThat(msg.getHeader().getString(BeginString.FIELD)).as(command.toString()).isEqualTo(version.beginString());
                assertValidOnTheWire(version, msg);
            }
            if (version.hasSecurityList()) assertValidOnTheWire(version, FixTranslator.securityListRequest(version, "SL-1"));
        }

        @ParameterizedTest
        @EnumSource(FixVersion.class)
        void orderFieldsGoOnEveryOrderAndAccountAloneOnCancelsAndStatusRequests(FixVersion version) throws Exception {
            Message order = FixTranslator.toFix(version, limitOrder(), ORDER_FIELDS);
            Message amend = FixTranslator.toFix(version, replace(), ORDER_FIELDS);
            Message cancel = FixTranslator.toFix(version, cancel(), ORDER_FIELDS);
            Message status = FixTranslator.toFix(version, status(), ORDER_FIELDS);

            for (Message m : List.of(order, amend)) {
                assertThat(m.getString(1)).isEqualTo("ACC-7");
                assertThat(m.getString(100)).isEqualTo("XNAS");
                assertThat(m.getString(21)).as("the venue's HandlInst replaces ours").isEqualTo("2");
            }
            for (Message m : List.of(cancel, status)) {
                assertThat(m.getString(1)).isEqualTo("ACC-7");
                assertThat(m.isSetField(100)).isFalse();
            }
            assertThat(FixTranslator.toFix(version, limitOrder()).getString(21)).isEqualTo("1");
            assertThat(FixTranslator.toFix(version, limitOrder()).isSetField(1)).isFalse();
        }

        @Test
        void fix42NewOrderSingleCarriesTheSameTermsAsFix44() throws Exception {
            Message m42 = FixTranslator.toFix(FixVersion.FIX42, limitOrder());
            Message m44 = FixTranslator.toFix(FixVersion.FIX44, limitOrder());

            assertThat(m42).isInstanceOf(quickfix.fix42.NewOrderSingle.class);
            assertThat(m44).isInstanceOf(quickfix.fix44.NewOrderSingle.class);
            for (int tag : new int[]{11, 21, 55, 54, 60, 38, 40, 44, 59}) {
                assertThat(m42.getString(tag)).as("tag " + tag).isEqualTo(m44.getString(tag));
            }
            assertThat(m42.getString(44)).isEqualTo("141.25");
        }

        @Test
        void fix50sp2MessagesAreFix50sp2ClassesOverFixt11() throws Exception {
            Message order = FixTranslator.toFix(FixVersion.FIX50SP2, limitOrder());
            Message md = FixTranslator.toFix(FixVersion.FIX50SP2, subscribe());

            assertThat(order).isInstanceOf(quickfix.fix50sp2.NewOrderSingle.class);
            assertThat(order.getHeader().getString(BeginString.FIELD)).isEqualTo("FIXT.1.1");
            assertThat(md.getGroups(146)).hasSize(2);
            assertThat(md.getGroups(146).get(1).getString(55)).isEqualTo("MSFT");
            assertThat(md.getGroups(267)).hasSize(3);
        }

        @Test
        void fix42HasNoSecurityListRequest() {
            assertThatThrownBy(() -> FixTranslator.securityListRequest(FixVersion.FIX42, "SL-1"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("FIX.4.2 has no SecurityListRequest");
        }
    }

    // ================================================================ inbound FIX 4.2

    @Nested
    class Fix42ExecutionReports {
        @Test
        void aFillIsATradeWithLastSharesAsLastQty() throws Exception {
            Message er = er42('0', '2', '2', "200", "0", "141.2");
            er.setString(32, "200"); // LastShares
            er.setString(31, "141.2");

            VenueExecutionReport r = read42(er);

            assertThat(r.execType()).isEqualTo(ExecType.TRADE);
            assertThat(r.ordStatus()).isEqualTo(OrderStatus.FILLED);
            assertThat(r.lastQty()).isEqualByComparingTo("200");
            assertThat(r.lastPx()).isEqualByComparingTo("141.2");
            assertThat(r.isFill()).isTrue();
        }

        @Test
        void aPartialFillIsATrade() throws Exception {
            Message er = er42('0', '1', '1', "50", "150", "141.2");
            er.setString(32, "50");
            er.setString(31, "141.2");

            VenueExecutionReport r = read42(er);

            assertThat(r.execType()).isEqualTo(ExecType.TRADE);
            assertThat(r.ordStatus()).isEqualTo(OrderStatus.PARTIALLY_FILLED);
            assertThat(r.isFill()).isTrue();
            assertThat(r.leavesQty()).isEqualByComparingTo("150");
        }

        @Test
        void aCancelledExecutionIsNotBookedAsAFreshFill() throws Exception {
            Message er = er42('1', '2', '2', "200", "0", "141.2");
            er.setString(19, "E-1"); // ExecRefID: the report it cancels
            er.setString(32, "200");
            er.setString(31, "141.2");

            VenueExecutionReport r = read42(er);

            assertThat(r.execType()).isEqualTo(ExecType.OTHER);
            assertThat(r.ordStatus()).isNull();
            assertThat(r.isFill()).isFalse();
            assertThat(r.text()).startsWith("FIX 4.2 ExecTransType=1 (cancel) of ExecID E-1 in ExecID E-2");
            assertThat(FixTranslator.correctionNotice(FixVersion.FIX42, er)).contains("not booked");
        }

        @Test
        void aCorrectedExecutionIsNotBookedAsAFreshFill() throws Exception {
            Message er = er42('2', '2', '2', "200", "0", "141.1");
            er.setString(19, "E-1");
            er.setString(32, "200");
            er.setString(31, "141.1");

            VenueExecutionReport r = read42(er);

            assertThat(r.execType()).isEqualTo(ExecType.OTHER);
            assertThat(r.isFill()).isFalse();
            assertThat(r.text()).contains("ExecTransType=2 (correct)");
        }

        @Test
        void aStatusAnswerIsAnOrderStatusNotAFill() throws Exception {
            Message er = er42('3', '1', '1', "50", "150", "141.2");
            er.setString(32, "50");

            VenueExecutionReport r = read42(er);

            assertThat(r.execType()).isEqualTo(ExecType.ORDER_STATUS);
            assertThat(r.ordStatus()).isEqualTo(OrderStatus.PARTIALLY_FILLED);
            assertThat(r.isFill()).isFalse();
            assertThat(r.cumQty()).isEqualByComparingTo("50");
            assertThat(r.avgPx()).isEqualByComparingTo("141.2");
        }

        @Test
        void newCanceledRejectedAndDoneForDay() throws Exception {
            assertThat(read42(er42('0', '0', '0', "0", "200", "0")).execType()).isEqualTo(ExecType.NEW);
            assertThat(read42(er42('0', '4', '4', "0", "0", "0")).ordStatus()).isEqualTo(OrderStatus.CANCELED);
            assertThat(read42(er42('0', '8', '8', "0", "0", "0")).execType()).isEqualTo(ExecType.REJECTED);
            VenueExecutionReport doneForDay = read42(er42('0', '3', '3', "0", "0", "0"));
            assertThat(doneForDay.execType()).isEqualTo(ExecType.OTHER);
            assertThat(doneForDay.ordStatus()).isNull();
        }

        @Test
        void missingLeavesQtyAndAvgPxAreTolerated() throws Exception {
            Message er = er42('0', '0', '0', "0", "200", "0");
            er.removeField(151);
            er.removeField(6);

            VenueExecutionReport r = FixTranslator.executionReport(FixVersion.FIX42, VENUE, er, RECEIVED);

            assertThat(r.leavesQty()).isNull();
            assertThat(r.avgPx()).isNull();
            assertThat(r.execType()).isEqualTo(ExecType.NEW);
        }

        @Test
        void execTransTypeMeansNothingOutsideFix42() throws Exception {
            Message er = er42('1', '2', '2', "200", "0", "141.2");
            er.setString(32, "200");
            // a FIX 4.4 venue would not send 20; if one did, it is not read as a cancel
            assertThat(FixTranslator.executionReport(FixVersion.FIX44, VENUE, er, RECEIVED).execType()).isEqualTo(ExecType.TRADE);
            assertThat(FixTranslator.correctionNotice(FixVersion.FIX44, er)).isNull();
        }

        private VenueExecutionReport read42(Message er) throws Exception {
            header(er, FixVersion.FIX42);
            fix42.validate(er, true);
            Message parsed = new Message();
            parsed.fromString(er.toString(), fix42, true);
            fix42.validate(parsed, false);
            return FixTranslator.executionReport(FixVersion.FIX42, VENUE, parsed, RECEIVED);
        }

        private Message er42(char transType, char execType, char ordStatus, String cumQty, String leavesQty, String avgPx) {
            quickfix.fix42.ExecutionReport m = new quickfix.fix42.ExecutionReport();
            m.setString(37, "V-1");
            m.setString(11, "GW7-000001");
            m.setString(17, "E-2");
            m.setChar(20, transType);
            m.setChar(150, execType);
            m.setChar(39, ordStatus);
            m.setString(55, "IBM");
            m.setChar(54, '1');
            m.setString(151, leavesQty);
            m.setString(14, cumQty);
            m.setString(6, avgPx);
            return m;
        }
    }

    // ================================================================ inbound FIX 5.0SP2

    @Nested
    class Fix50sp2Inbound {
        @Test
        void aFillRoundTrip() throws Exception {
            quickfix.fix50sp2.ExecutionReport er = new quickfix.fix50sp2.ExecutionReport();
            er.setString(37, "V-9");
            er.setString(11, "GW7-000002");
            er.setString(17, "E-9");
            er.setChar(150, 'F');
            er.setChar(39, '1');
            er.setString(55, "MSFT");
            er.setChar(54, '2');
            er.setString(32, "10");
            er.setString(31, "410.05");
            er.setString(151, "90");
            er.setString(14, "10");
            er.setString(6, "410.05");
            er.setUtcTimeStamp(60, LocalDateTime.of(2026, 11, 25, 10, 0, 1, 250_000_000), true);

            VenueExecutionReport r = FixTranslator.executionReport(FixVersion.FIX50SP2, VENUE, fromWire50(er), RECEIVED);

            assertThat(r.execType()).isEqualTo(ExecType.TRADE);
            assertThat(r.ordStatus()).isEqualTo(OrderStatus.PARTIALLY_FILLED);
            assertThat(r.side()).isEqualTo(Side.SELL);
            assertThat(r.lastQty()).isEqualByComparingTo("10");
            assertThat(r.lastPx().toPlainString()).isEqualTo("410.05");
            assertThat(r.transactTime()).isEqualTo(Instant.parse("2026-11-25T10:00:01.250Z"));
        }

        @Test
        void aSecurityListWithRoundLotAndMinPriceIncrement() throws Exception {
            quickfix.fix50sp2.SecurityList list = new quickfix.fix50sp2.SecurityList();
            list.setString(320, "SL-1");
            Group g = new quickfix.fix50sp2.SecurityList.NoRelatedSym();
            g.setString(55, "MSFT");
            g.setString(969, "0.05");
            g.setString(561, "100");
            list.addGroup(g);
            Group plain = new quickfix.fix50sp2.SecurityList.NoRelatedSym();
            plain.setString(55, "IBM");
            list.addGroup(plain);

            List<Instrument> instruments = FixTranslator.securityList(FixVersion.FIX50SP2, fromWire50(list));

            assertThat(instruments).containsExactly(new Instrument("MSFT", new BigDecimal("1E+2"), new BigDecimal("0.05")),
                    new Instrument("IBM", BigDecimal.ONE, new BigDecimal("0.01")));
        }

        @Test
        void aCancelReject() throws Exception {
            quickfix.fix50sp2.OrderCancelReject reject = new quickfix.fix50sp2.OrderCancelReject();
            reject.setString(37, "V-9");
            reject.setString(11, "GW7-000002-C1");
            reject.setString(41, "GW7-000002");
            reject.setChar(39, '2');
            reject.setChar(434, '1');
            reject.setString(58, "too late to cancel");

            VenueCancelReject r = FixTranslator.cancelReject(FixVersion.FIX50SP2, VENUE, fromWire50(reject), RECEIVED);

            assertThat(r).isEqualTo(new VenueCancelReject(VENUE, new ClOrdId("GW7-000002-C1"), new ClOrdId("GW7-000002"),
                    OrderStatus.FILLED, false, "too late to cancel", RECEIVED));
        }

        private Message fromWire50(Message msg) throws Exception {
            header(msg, FixVersion.FIX50SP2);
            fix50sp2.validate(msg, true); // the body against FIX 5.0SP2 (the header is FIXT.1.1)
            Message parsed = new Message();
            parsed.fromString(msg.toString(), fixt11, fix50sp2, true);
            return parsed;
        }
    }

    // ================================================================ market data in FIX 4.2 and 5.0SP2

    @Nested
    class MarketData {
        @Test
        void fix42IncrementalRefreshBecomesBookUpdatesAndATrade() throws Exception {
            Message x = FixTranslator.create(FixVersion.FIX42, MsgType.MARKET_DATA_INCREMENTAL_REFRESH);
            x.addGroup(entry(FixVersion.FIX42, '0', '0', "IBM", "141.20", "300"));
            x.addGroup(entry(FixVersion.FIX42, '0', '2', "IBM", "141.25", "100"));
            header(x, FixVersion.FIX42);
            fix42.validate(x, true);
            Message parsed = new Message();
            parsed.fromString(x.toString(), fix42, true);

            List<MarketDataEvent> events = new MarketDataTranslator().translate(VENUE, parsed, RECEIVED);

            assertThat(events).containsExactly(
                    new BookLevelUpdate(VENUE, "IBM", Side.BUY, 0, BookLevelUpdate.Action.NEW, new BigDecimal("141.20"),
                            new BigDecimal("300"), RECEIVED),
                    new TradePrint(VENUE, "IBM", new BigDecimal("141.25"), new BigDecimal("100"), RECEIVED));
        }

        @Test
        void fix50sp2IncrementalRefreshBecomesBookUpdates() throws Exception {
            Message x = FixTranslator.create(FixVersion.FIX50SP2, MsgType.MARKET_DATA_INCREMENTAL_REFRESH);
            x.addGroup(entry(FixVersion.FIX50SP2, '1', '1', "MSFT", "410.10", "50"));
            header(x, FixVersion.FIX50SP2);
            fix50sp2.validate(x, true);
            Message parsed = new Message();
            parsed.fromString(x.toString(), fixt11, fix50sp2, true);

            List<MarketDataEvent> events = new MarketDataTranslator().translate(VENUE, parsed, RECEIVED);

            assertThat(events).containsExactly(new BookLevelUpdate(VENUE, "MSFT", Side.SELL, 0, BookLevelUpdate.Action.CHANGE,
                    new BigDecimal("410.10"), new BigDecimal("50"), RECEIVED));
        }

        private Group entry(FixVersion version, char action, char type, String symbol, String px, String size) {
            Group g = new DefaultMessageFactory().create(version.applVersion(), MsgType.MARKET_DATA_INCREMENTAL_REFRESH, 268);
            g.setChar(279, action);
            g.setChar(269, type);
            g.setString(55, symbol);
            g.setString(270, px);
            g.setString(271, size);
            return g;
        }
    }

    // ================================================================ helpers

    private static void assertValidOnTheWire(FixVersion version, Message msg) throws Exception {
        header(msg, version);
        String type = msg.getHeader().getString(MsgType.FIELD);
        Message parsed = new Message();
        switch (version) {
            case FIX42 -> {
                fix42.validate(msg, true);
                parsed.fromString(msg.toString(), fix42, true);
                fix42.validate(parsed, false);
            }
            case FIX44 -> {
                fix44.validate(msg, true);
                parsed.fromString(msg.toString(), fix44, true);
                fix44.validate(parsed, false);
            }
            case FIX50SP2 -> {
                fix50sp2.validate(msg, true); // the body against FIX 5.0SP2 (the header is FIXT.1.1)
                parsed.fromString(msg.toString(), fixt11, fix50sp2, true);
                fix50sp2.validate(parsed, true);
            }
        }
        assertThat(parsed.toString()).as(version + " " + type).isEqualTo(msg.toString());
    }

    private static void header(Message msg, FixVersion version) {
        Message.Header h = msg.getHeader();
        h.setString(BeginString.FIELD, version.beginString());
        h.setString(SenderCompID.FIELD, "GATEWAY");
        h.setString(TargetCompID.FIELD, VENUE);
        h.setInt(MsgSeqNum.FIELD, 7);
        h.setUtcTimeStamp(SendingTime.FIELD, LocalDateTime.of(2026, 11, 25, 10, 0, 1, 260_000_000), true);
    }
}
