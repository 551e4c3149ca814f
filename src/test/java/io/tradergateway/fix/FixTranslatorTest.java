package io.tradergateway.fix;

import io.tradergateway.domain.ClOrdId;
import io.tradergateway.domain.ExecId;
import io.tradergateway.domain.Fill;
import io.tradergateway.domain.Instrument;
import io.tradergateway.domain.OrderId;
import io.tradergateway.domain.Side;
import io.tradergateway.execution.ExecType;
import io.tradergateway.execution.OrderCommand;
import io.tradergateway.execution.OrderStatus;
import io.tradergateway.execution.OrderType;
import io.tradergateway.execution.TimeInForce;
import io.tradergateway.execution.VenueCancelReject;
import io.tradergateway.execution.VenueExecutionReport;
import io.tradergateway.position.Position;
import io.tradergateway.position.PositionUpdate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import quickfix.DataDictionary;
import quickfix.DefaultMessageFactory;
import quickfix.Group;
import quickfix.Message;
import quickfix.MessageUtils;
import quickfix.field.BeginString;
import quickfix.field.MsgSeqNum;
import quickfix.field.MsgType;
import quickfix.field.PossDupFlag;
import quickfix.field.SenderCompID;
import quickfix.field.SendingTime;
import quickfix.field.TargetCompID;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Layer 2 (DESIGN "Tests in layers"): domain ⇄ FIX 4.4 translation, no sockets. Outbound messages are checked
 * tag by tag (decimal values as exact strings) and validated against the project's dictionary; inbound messages
 * are built in code, validated, sent through the wire format and parsed back with the dictionary (as a session
 * would), then translated and compared with hand-written expected records.
 */
class FixTranslatorTest {

    private static final String VENUE = "VENUE_A";
    private static final Instant TRANSACT = Instant.parse("2026-11-25T10:00:00.123Z");
    private static final String TRANSACT_FIX = "20261125-10:00:00.123";
    private static final Instant EXPIRE = Instant.parse("2026-11-25T16:00:00Z");
    private static final String EXPIRE_FIX = "20261125-16:00:00.000";
    private static final Instant VENUE_TIME = Instant.parse("2026-11-25T10:00:01.250Z");
    private static final Instant RECEIVED = Instant.parse("2026-11-25T10:00:01.300Z");

    private static DataDictionary dictionary;

    @BeforeAll
    static void loadDictionary() throws Exception {
        // The dictionary our sessions use (fix-config/gateway.cfg): FIX 4.4 plus MinPriceIncrement(969) in SecurityList.
        dictionary = new DataDictionary("dictionaries/FIX44.xml");
    }

    // ================================================================ outbound

    @Nested
    class Outbound {

        @Test
        void marketNewOrderIsIocWithoutPriceOrExpireTime() throws Exception {
            Message msg = FixTranslator.toFix(FixVersion.FIX44, new OrderCommand.NewOrder(VENUE, new ClOrdId("GW7-000001"), "AAPL",
                    Side.BUY, OrderType.MARKET, new BigDecimal("52"), null, TimeInForce.IOC, null, TRANSACT));

            assertThat(msgType(msg)).isEqualTo(MsgType.ORDER_SINGLE);
            assertThat(msg.getString(11)).isEqualTo("GW7-000001");
            assertThat(msg.getString(21)).isEqualTo("1"); // automated, no broker intervention
            assertThat(msg.getString(55)).isEqualTo("AAPL");
            assertThat(msg.getString(54)).isEqualTo("1");
            assertThat(msg.getString(60)).isEqualTo(TRANSACT_FIX);
            assertThat(msg.getString(38)).isEqualTo("52");
            assertThat(msg.getString(40)).isEqualTo("1");
            assertThat(msg.getString(59)).isEqualTo("3");
            assertThat(msg.isSetField(44)).as("Price on a market order").isFalse();
            assertThat(msg.isSetField(126)).as("ExpireTime on an IOC order").isFalse();
            assertValid(msg);
        }

        @Test
        void limitGtdNewOrderCarriesExactPriceAndExpireTime() throws Exception {
            // 1E+2 is how a quantity floored to a lot of 100 may look after stripTrailingZeros: the wire wants "100".
            Message msg = FixTranslator.toFix(FixVersion.FIX44, new OrderCommand.NewOrder(VENUE, new ClOrdId("GW7-000002"), "AAPL",
                    Side.SELL, OrderType.LIMIT, new BigDecimal("1E+2"), new BigDecimal("189.50"), TimeInForce.GTD,
                    EXPIRE, TRANSACT));

            assertThat(msgType(msg)).isEqualTo(MsgType.ORDER_SINGLE);
            assertThat(msg.getString(11)).isEqualTo("GW7-000002");
            assertThat(msg.getString(55)).isEqualTo("AAPL");
            assertThat(msg.getString(54)).isEqualTo("2");
            assertThat(msg.getString(38)).isEqualTo("100");
            assertThat(msg.getString(40)).isEqualTo("2");
            assertThat(msg.getString(44)).isEqualTo("189.50");
            assertThat(msg.getString(59)).isEqualTo("6");
            assertThat(msg.getString(126)).isEqualTo(EXPIRE_FIX);
            assertThat(msg.getString(60)).isEqualTo(TRANSACT_FIX);
            assertValid(msg);
        }

        @ParameterizedTest(name = "price {0} is sent as {1}")
        @CsvSource({"189.5, 189.5", "189.50, 189.50", "0.00012345, 0.00012345", "1E+3, 1000", "1.2345E-4, 0.00012345"})
        void decimalsAreSentAsPlainStringsNeverThroughDouble(String price, String wire) throws Exception {
            Message msg = FixTranslator.toFix(FixVersion.FIX44, new OrderCommand.NewOrder(VENUE, new ClOrdId("GW7-000003"), "PENNY",
                    Side.BUY, OrderType.LIMIT, new BigDecimal("7"), new BigDecimal(price), TimeInForce.DAY, null,
                    TRANSACT));

            assertThat(msg.getString(44)).isEqualTo(wire);
            assertThat(msg.getString(59)).isEqualTo("0");
            assertValid(msg);
        }

        @Test
        void fillOrKillMapsToTif4() throws Exception {
            Message msg = FixTranslator.toFix(FixVersion.FIX44, new OrderCommand.NewOrder(VENUE, new ClOrdId("GW7-000004"), "AAPL",
                    Side.BUY, OrderType.LIMIT, new BigDecimal("10"), new BigDecimal("190"), TimeInForce.FOK, null,
                    TRANSACT));

            assertThat(msg.getString(59)).isEqualTo("4");
            assertValid(msg);
        }

        @Test
        void cancelRequestNamesTheOriginalOrder() throws Exception {
            Message msg = FixTranslator.toFix(FixVersion.FIX44, new OrderCommand.Cancel(VENUE, new ClOrdId("GW7-000002-C1"),
                    new ClOrdId("GW7-000002"), "AAPL", Side.SELL, new BigDecimal("100"), TRANSACT));

            assertThat(msgType(msg)).isEqualTo(MsgType.ORDER_CANCEL_REQUEST);
            assertThat(msg.getString(11)).isEqualTo("GW7-000002-C1");
            assertThat(msg.getString(41)).isEqualTo("GW7-000002");
            assertThat(msg.getString(55)).isEqualTo("AAPL");
            assertThat(msg.getString(54)).isEqualTo("2");
            assertThat(msg.getString(38)).isEqualTo("100");
            assertThat(msg.getString(60)).isEqualTo(TRANSACT_FIX);
            assertValid(msg);
        }

        @Test
        void replaceRequestCarriesTheNewQuantityPriceAndExpireTime() throws Exception {
            Message msg = FixTranslator.toFix(FixVersion.FIX44, new OrderCommand.Replace(VENUE, new ClOrdId("GW7-000002-R1"),
                    new ClOrdId("GW7-000002"), "AAPL", Side.BUY, OrderType.LIMIT, new BigDecimal("80"),
                    new BigDecimal("189.45"), TimeInForce.GTD, EXPIRE, TRANSACT));

            assertThat(msgType(msg)).isEqualTo(MsgType.ORDER_CANCEL_REPLACE_REQUEST);
            assertThat(msg.getString(11)).isEqualTo("GW7-000002-R1");
            assertThat(msg.getString(41)).isEqualTo("GW7-000002");
            assertThat(msg.getString(21)).isEqualTo("1");
            assertThat(msg.getString(55)).isEqualTo("AAPL");
            assertThat(msg.getString(54)).isEqualTo("1");
            assertThat(msg.getString(38)).isEqualTo("80");
            assertThat(msg.getString(40)).isEqualTo("2");
            assertThat(msg.getString(44)).isEqualTo("189.45");
            assertThat(msg.getString(59)).isEqualTo("6");
            assertThat(msg.getString(126)).isEqualTo(EXPIRE_FIX);
            assertThat(msg.getString(60)).isEqualTo(TRANSACT_FIX);
            assertValid(msg);
        }

        @Test
        void statusRequestIdentifiesTheOrderBySymbolAndSide() throws Exception {
            Message msg = FixTranslator.toFix(FixVersion.FIX44, new OrderCommand.StatusRequest(VENUE, new ClOrdId("GW7-000002"),
                    "AAPL", Side.SELL));

            assertThat(msgType(msg)).isEqualTo(MsgType.ORDER_STATUS_REQUEST);
            assertThat(msg.getString(11)).isEqualTo("GW7-000002");
            assertThat(msg.getString(55)).isEqualTo("AAPL");
            assertThat(msg.getString(54)).isEqualTo("2");
            assertValid(msg);
        }

        @Test
        void marketDataRequestSubscribesToBookAndTradesOfEverySymbol() throws Exception {
            Message msg = FixTranslator.toFix(FixVersion.FIX44, new OrderCommand.SubscribeMarketData(VENUE, "MD-VENUE_A-1",
                    List.of("AAPL", "MSFT")));

            assertThat(msgType(msg)).isEqualTo(MsgType.MARKET_DATA_REQUEST);
            assertThat(msg.getString(262)).isEqualTo("MD-VENUE_A-1");
            assertThat(msg.getString(263)).isEqualTo("1"); // snapshot + updates
            assertThat(msg.getString(264)).isEqualTo("0"); // full book
            assertThat(msg.getString(265)).isEqualTo("1"); // incremental refresh
            assertThat(msg.getString(267)).isEqualTo("3");
            assertThat(fieldOfEach(msg.getGroups(267), 269)).containsExactly("0", "1", "2");
            assertThat(msg.getString(146)).isEqualTo("2");
            assertThat(fieldOfEach(msg.getGroups(146), 55)).containsExactly("AAPL", "MSFT");
            assertValid(msg);
        }

        @Test
        void securityListRequestAsksForAllSecurities() throws Exception {
            Message msg = FixTranslator.securityListRequest(FixVersion.FIX44, "SL-1");

            assertThat(msgType(msg)).isEqualTo(MsgType.SECURITY_LIST_REQUEST);
            assertThat(msg.getString(320)).isEqualTo("SL-1");
            assertThat(msg.getString(559)).isEqualTo("4");
            assertValid(msg);
        }

        @Test
        void theDictionaryCheckIsRealAMissingRequiredTagFails() {
            Message msg = FixTranslator.toFix(FixVersion.FIX44, new OrderCommand.NewOrder(VENUE, new ClOrdId("GW7-000009"), "AAPL",
                    Side.BUY, OrderType.MARKET, new BigDecimal("1"), null, TimeInForce.IOC, null, TRANSACT));
            msg.removeField(55);
            header(msg, "GATEWAY", VENUE, false);

            assertThatThrownBy(() -> dictionary.validate(msg, true)).isInstanceOf(quickfix.FieldException.class).hasMessageContaining("field=55");
        }

        /** Validates the body as built, then the whole message after a trip through the wire format. */
        private void assertValid(Message msg) throws Exception {
            header(msg, "GATEWAY", VENUE, false);
            dictionary.validate(msg, true);
            Message parsed = fromWire(msg);
            dictionary.validate(parsed, false);
            assertThat(parsed.toString()).isEqualTo(msg.toString());
        }
    }

    // ================================================================ inbound: ExecutionReport (35=8)

    @Nested
    class InboundExecutionReports {

        @Test
        void newAck() throws Exception {
            Message er = executionReport("GW7-000001", "V-1", "E-1", '0', '0', Side.BUY, "0", "100", "0");

            assertThat(translate(er)).isEqualTo(new VenueExecutionReport(VENUE, new ClOrdId("GW7-000001"), null,
                    new OrderId("V-1"), new ExecId("E-1"), ExecType.NEW, OrderStatus.NEW, "AAPL", Side.BUY,
                    null, null, new BigDecimal("0"), new BigDecimal("100"), new BigDecimal("0"), null, null,
                    VENUE_TIME, false, RECEIVED));
        }

        @Test
        void partialFillWithCommission() throws Exception {
            Message er = executionReport("GW7-000001", "V-1", "E-2", 'F', '1', Side.BUY, "40", "60", "189.27");
            er.setString(32, "40");
            er.setString(31, "189.27");
            er.setString(12, "0.40");
            er.setChar(13, '3'); // absolute

            VenueExecutionReport report = translate(er);

            assertThat(report).isEqualTo(new VenueExecutionReport(VENUE, new ClOrdId("GW7-000001"), null,
                    new OrderId("V-1"), new ExecId("E-2"), ExecType.TRADE, OrderStatus.PARTIALLY_FILLED, "AAPL",
                    Side.BUY, new BigDecimal("40"), new BigDecimal("189.27"), new BigDecimal("40"),
                    new BigDecimal("60"), new BigDecimal("189.27"), new BigDecimal("0.40"), null, VENUE_TIME,
                    false, RECEIVED));
            assertThat(report.isFill()).isTrue();
        }

        /** Issue 10 item 4: CommType (13) was never read, so a per-unit or percentage commission was booked as absolute. */
        @ParameterizedTest(name = "Commission {0} CommType {1} on 40 @ 189.25 = {2}")
        @CsvSource({
                "0.005, 1, 0.200",         // per unit: 0.005 × 40
                "0.01, 2, 0.75700",        // percent: 0.01 % of 40 × 189.25 = 7570 × 0.0001
                "1.50, 3, 1.50",           // absolute
                "1.50, , 1.50",            // no CommType: absolute (documented)
                "0.02, 6, 0.80",           // points per contract: per unit
        })
        void commissionIsConvertedToAnAbsoluteFeeByCommType(String commission, Character commType, String fee) throws Exception {
            Message er = executionReport("GW7-000001", "V-1", "E-2", 'F', '1', Side.BUY, "40", "60", "189.25");
            er.setString(32, "40");
            er.setString(31, "189.25");
            er.setString(12, commission);
            if (commType != null) er.setChar(13, commType);

            assertThat(translate(er).commission()).isEqualByComparingTo(fee);
        }

        @Test
        void perUnitAndPercentFeesReachRealizedPnlAndPnlImpact() throws Exception {
            Message open = executionReport("GW7-000001", "V-1", "E-1", 'F', '2', Side.BUY, "40", "0", "189.25");
            open.setString(32, "40");
            open.setString(31, "189.25");
            open.setString(12, "0.005");
            open.setChar(13, '1'); // 0.005 per share: 0.20
            Message close = executionReport("GW7-000002", "V-2", "E-2", 'F', '2', Side.SELL, "40", "0", "190.25");
            close.setString(32, "40");
            close.setString(31, "190.25");
            close.setString(12, "0.01");
            close.setChar(13, '2'); // 0.01 % of 7610.00: 0.761

            PositionUpdate opened = Position.flat("AAPL").apply(fillOf(translate(open)));
            PositionUpdate closed = opened.after().apply(fillOf(translate(close)));

            assertThat(opened.after().realizedPnl()).isEqualByComparingTo("-0.20");
            // (190.25 − 189.25) × 40 = 40.00, less the closing fee 0.761
            assertThat(closed.realizedPnlImpact()).isEqualByComparingTo("39.239");
            assertThat(closed.after().realizedPnl()).isEqualByComparingTo("39.039");
            assertThat(closed.after().feesPaid()).isEqualByComparingTo("0.961");
        }

        /** As VenueEvents books a fill: the translated fee, zero when none. */
        private Fill fillOf(VenueExecutionReport r) {
            return new Fill(r.venue(), r.execId(), r.clOrdId(), r.symbol(), r.side(), r.lastQty(), r.lastPx(),
                    r.commission() == null ? BigDecimal.ZERO : r.commission(), r.transactTime());
        }

        @Test
        void aPerUnitCommissionWithoutLastQtyIsNoFee() throws Exception {
            Message er = executionReport("GW7-000001", "V-1", "E-2", '0', '0', Side.BUY, "0", "100", "0");
            er.setString(12, "0.005");
            er.setChar(13, '1');

            assertThat(translate(er).commission()).isNull();
        }

        @Test
        void finalFillCompletesTheOrder() throws Exception {
            // 40 @ 189.27 then 60 @ 189.30: avg = (7570.80 + 11358.00) / 100 = 189.288
            Message er = executionReport("GW7-000001", "V-1", "E-3", 'F', '2', Side.BUY, "100", "0", "189.288");
            er.setString(32, "60");
            er.setString(31, "189.30");
            er.setString(12, "0.60");
            er.setChar(13, '3');

            assertThat(translate(er)).isEqualTo(new VenueExecutionReport(VENUE, new ClOrdId("GW7-000001"), null,
                    new OrderId("V-1"), new ExecId("E-3"), ExecType.TRADE, OrderStatus.FILLED, "AAPL", Side.BUY,
                    new BigDecimal("60"), new BigDecimal("189.30"), new BigDecimal("100"), new BigDecimal("0"),
                    new BigDecimal("189.288"), new BigDecimal("0.60"), null, VENUE_TIME, false, RECEIVED));
        }

        @Test
        void canceledAnswerNamesTheOriginalOrder() throws Exception {
            Message er = executionReport("GW7-000001-C1", "V-1", "E-4", '4', '4', Side.BUY, "40", "0", "189.27");
            er.setString(41, "GW7-000001");

            assertThat(translate(er)).isEqualTo(new VenueExecutionReport(VENUE, new ClOrdId("GW7-000001-C1"),
                    new ClOrdId("GW7-000001"), new OrderId("V-1"), new ExecId("E-4"), ExecType.CANCELED,
                    OrderStatus.CANCELED, "AAPL", Side.BUY, null, null, new BigDecimal("40"), new BigDecimal("0"),
                    new BigDecimal("189.27"), null, null, VENUE_TIME, false, RECEIVED));
        }

        @Test
        void rejectCarriesTheVenueText() throws Exception {
            Message er = executionReport("GW7-000005", "NONE", "E-5", '8', '8', Side.SELL, "0", "0", "0");
            er.setInt(103, 1); // unknown symbol
            er.setString(58, "unknown symbol AAPL");

            assertThat(translate(er)).isEqualTo(new VenueExecutionReport(VENUE, new ClOrdId("GW7-000005"), null,
                    new OrderId("NONE"), new ExecId("E-5"), ExecType.REJECTED, OrderStatus.REJECTED, "AAPL",
                    Side.SELL, null, null, new BigDecimal("0"), new BigDecimal("0"), new BigDecimal("0"), null,
                    "unknown symbol AAPL", VENUE_TIME, false, RECEIVED));
        }

        @Test
        void orderStatusAnswerToAStatusRequest() throws Exception {
            Message er = executionReport("GW7-000001", "V-1", "E-6", 'I', '1', Side.BUY, "40", "60", "189.27");

            VenueExecutionReport report = translate(er);

            assertThat(report).isEqualTo(new VenueExecutionReport(VENUE, new ClOrdId("GW7-000001"), null,
                    new OrderId("V-1"), new ExecId("E-6"), ExecType.ORDER_STATUS, OrderStatus.PARTIALLY_FILLED,
                    "AAPL", Side.BUY, null, null, new BigDecimal("40"), new BigDecimal("60"),
                    new BigDecimal("189.27"), null, null, VENUE_TIME, false, RECEIVED));
            assertThat(report.isFill()).as("a status answer is not a fill").isFalse();
        }

        @Test
        void resentFillIsFlaggedPossDup() throws Exception {
            Message er = executionReport("GW7-000001", "V-1", "E-2", 'F', '1', Side.BUY, "40", "60", "189.27");
            er.setString(32, "40");
            er.setString(31, "189.27");

            VenueExecutionReport report = translateFromWire(er, true);

            assertThat(report.possDup()).isTrue();
            assertThat(report.execId()).isEqualTo(new ExecId("E-2"));
            assertThat(report.lastQty()).isEqualTo(new BigDecimal("40"));
        }

        @Test
        void withoutTransactTimeTheReceiveTimeIsUsed() throws Exception {
            Message er = executionReport("GW7-000001", "V-1", "E-7", '0', '0', Side.BUY, "0", "100", "0");
            er.removeField(60);

            assertThat(translate(er).transactTime()).isEqualTo(RECEIVED);
        }

        @Test
        void sellShortIsASell() throws Exception {
            Message er = executionReport("GW7-000008", "V-8", "E-8", '0', '0', Side.SELL, "0", "10", "0");
            er.setChar(54, '5');

            assertThat(translate(er).side()).isEqualTo(Side.SELL);
        }

        @ParameterizedTest(name = "ExecType {0} -> {1}")
        @CsvSource({"A, PENDING_NEW", "1, TRADE", "2, TRADE", "6, PENDING_CANCEL", "E, PENDING_REPLACE",
                "5, REPLACED", "C, EXPIRED", "D, OTHER"})
        void execTypeMapping(char fix, ExecType expected) {
            assertThat(FixTranslator.execType(FixVersion.FIX44, fix)).isEqualTo(expected);
        }

        @ParameterizedTest(name = "OrdStatus {0} -> {1}")
        @CsvSource({"A, PENDING_NEW", "6, PENDING_CANCEL", "E, PENDING_REPLACE", "C, EXPIRED"})
        void ordStatusMapping(char fix, OrderStatus expected) {
            assertThat(FixTranslator.ordStatus(FixVersion.FIX44, fix)).isEqualTo(expected);
        }

        @Test
        void ordStatusWeDoNotModelIsNull() {
            assertThat(FixTranslator.ordStatus(FixVersion.FIX44, 'D')).as("AcceptedForBidding").isNull();
        }

        private VenueExecutionReport translate(Message er) throws Exception {
            return translateFromWire(er, false);
        }

        private VenueExecutionReport translateFromWire(Message er, boolean possDup) throws Exception {
            header(er, VENUE, "GATEWAY", possDup);
            dictionary.validate(er, true);
            Message parsed = fromWire(er);
            VenueExecutionReport fromWire = FixTranslator.executionReport(FixVersion.FIX44, VENUE, parsed, RECEIVED);
            // What the session hands us and what we built must translate alike.
            assertThat(FixTranslator.executionReport(FixVersion.FIX44, VENUE, er, RECEIVED)).isEqualTo(fromWire);
            return fromWire;
        }
    }

    // ================================================================ inbound: OrderCancelReject (35=9)

    @Nested
    class InboundCancelRejects {

        @Test
        void cancelRequestRefused() throws Exception {
            Message reject = cancelReject('1', '2', "too late to cancel");

            assertThat(translate(reject)).isEqualTo(new VenueCancelReject(VENUE, new ClOrdId("GW7-000001-C1"),
                    new ClOrdId("GW7-000001"), OrderStatus.FILLED, false, "too late to cancel", RECEIVED));
        }

        @Test
        void replaceRequestRefused() throws Exception {
            Message reject = cancelReject('2', '0', "price out of band");

            assertThat(translate(reject)).isEqualTo(new VenueCancelReject(VENUE, new ClOrdId("GW7-000001-C1"),
                    new ClOrdId("GW7-000001"), OrderStatus.NEW, true, "price out of band", RECEIVED));
        }

        private Message cancelReject(char responseTo, char ordStatus, String text) {
            quickfix.fix44.OrderCancelReject m = new quickfix.fix44.OrderCancelReject();
            m.setString(37, "V-1");
            m.setString(11, "GW7-000001-C1");
            m.setString(41, "GW7-000001");
            m.setChar(39, ordStatus);
            m.setChar(434, responseTo);
            m.setInt(102, 0); // too late to cancel
            m.setString(58, text);
            m.setUtcTimeStamp(60, LocalDateTime.of(2026, 11, 25, 10, 0, 1, 250_000_000), true);
            return m;
        }

        private VenueCancelReject translate(Message reject) throws Exception {
            header(reject, VENUE, "GATEWAY", false);
            dictionary.validate(reject, true);
            return FixTranslator.cancelReject(FixVersion.FIX44, VENUE, fromWire(reject), RECEIVED);
        }
    }

    // ================================================================ inbound: session / business rejects of our messages

    @Nested
    class InboundRefusals {
        private final FixTranslator.SentOrderMessage newOrder =
                new FixTranslator.SentOrderMessage(MsgType.ORDER_SINGLE, new ClOrdId("GW7-000001"), null);

        @Test
        void theOrderMessagesWeSendAreRecognisedOthersAreNot() throws Exception {
            Message order = FixTranslator.toFix(FixVersion.FIX44, new OrderCommand.Cancel(VENUE, new ClOrdId("GW7-000001-C1"),
                    new ClOrdId("GW7-000001"), "AAPL", Side.BUY, new BigDecimal("100"), TRANSACT));
            assertThat(FixTranslator.sentOrderMessage(order)).isEqualTo(new FixTranslator.SentOrderMessage(
                    MsgType.ORDER_CANCEL_REQUEST, new ClOrdId("GW7-000001-C1"), new ClOrdId("GW7-000001")));
            assertThat(FixTranslator.sentOrderMessage(new quickfix.fix44.Heartbeat())).isNull();
        }

        @Test
        void aSessionLevelRejectOfANewOrderIsAnOrderReject() throws Exception {
            quickfix.fix44.Reject reject = new quickfix.fix44.Reject(new quickfix.field.RefSeqNum(42));
            reject.setInt(quickfix.field.SessionRejectReason.FIELD, 5); // value is incorrect for this tag
            reject.setInt(quickfix.field.RefTagID.FIELD, 40);
            reject.setString(58, "Value is incorrect (out of range) for this tag");
            header(reject, VENUE, "GATEWAY", false);
            dictionary.validate(reject, true);

            VenueExecutionReport r = FixTranslator.orderRefused(VENUE, fromWire(reject), newOrder, 42, RECEIVED);
            assertThat(r.clOrdId()).isEqualTo(new ClOrdId("GW7-000001"));
            assertThat(r.execType()).isEqualTo(ExecType.REJECTED);
            assertThat(r.ordStatus()).isEqualTo(OrderStatus.REJECTED);
            assertThat(r.isFill()).isFalse();
            assertThat(r.execId()).isEqualTo(new ExecId("REFUSED-" + VENUE + "-42"));
            assertThat(r.text()).isEqualTo("session-level Reject (35=3, reason 5, tag 40): "
                    + "Value is incorrect (out of range) for this tag");
        }

        @Test
        void aBusinessRejectOfACancelIsACancelReject() throws Exception {
            quickfix.fix44.BusinessMessageReject reject = new quickfix.fix44.BusinessMessageReject(
                    new quickfix.field.RefMsgType(MsgType.ORDER_CANCEL_REQUEST),
                    new quickfix.field.BusinessRejectReason(quickfix.field.BusinessRejectReason.OTHER));
            reject.setInt(quickfix.field.RefSeqNum.FIELD, 43);
            reject.setString(58, "cancels suspended");
            header(reject, VENUE, "GATEWAY", false);
            dictionary.validate(reject, true);
            var cancel = new FixTranslator.SentOrderMessage(MsgType.ORDER_CANCEL_REQUEST,
                    new ClOrdId("GW7-000001-C1"), new ClOrdId("GW7-000001"));

            assertThat(FixTranslator.requestRefused(VENUE, fromWire(reject), cancel, RECEIVED)).isEqualTo(
                    new VenueCancelReject(VENUE, new ClOrdId("GW7-000001-C1"), new ClOrdId("GW7-000001"), null, false,
                            "BusinessMessageReject (35=j, reason 0): cancels suspended", RECEIVED));
        }
    }

    // ================================================================ inbound: SecurityList (35=y)

    @Nested
    class InboundSecurityList {

        @Test
        void roundLotAndMinPriceIncrementBecomeLotAndTick() throws Exception {
            Message list = securityList(symbol("AAPL", "1", "0.01"), symbol("BRK", "100", "0.050"), symbol("PENNY", null, null));
            dictionary.validate(list, true);

            List<Instrument> instruments = FixTranslator.securityList(FixVersion.FIX44, fromWire(list));

            // The translator normalises with stripTrailingZeros: 100 becomes 1E+2 (same value, scale -2) and
            // 0.050 becomes 0.05; a symbol without the optional tags gets lot 1 and tick 0.01.
            assertThat(instruments).containsExactly(
                    new Instrument("AAPL", new BigDecimal("1"), new BigDecimal("0.01")),
                    new Instrument("BRK", new BigDecimal("1E+2"), new BigDecimal("0.05")),
                    new Instrument("PENNY", new BigDecimal("1"), new BigDecimal("0.01")));
            assertThat(instruments.get(1).lotSize().toPlainString()).isEqualTo("100");
        }

        /** One entry a venue got wrong costs that entry, not the venue's whole list (which would leave it untradeable). */
        @Test
        void anEntryWithANonPositiveLotOrTickIsLeftOutAndTheRestKept() throws Exception {
            Message list = securityList(symbol("AAPL", "1", "0.01"), symbol("ZEROLOT", "0", "0.01"),
                    symbol("NEGTICK", "1", "-0.01"), symbol("MSFT", "1", "0.01"));

            List<Instrument> instruments = FixTranslator.securityList(FixVersion.FIX44, fromWire(list));

            assertThat(instruments).extracting(Instrument::symbol).containsExactly("AAPL", "MSFT");
        }

        /** A SecurityList (35=y) answering request SLR-1 with these entries, as the venue sends it. */
        private Message securityList(Group... entries) {
            quickfix.fix44.SecurityList list = new quickfix.fix44.SecurityList();
            list.setString(320, "SL-1");
            list.setString(322, "SLR-1");
            list.setInt(560, 0);
            for (Group entry : entries) list.addGroup(entry);
            header(list, VENUE, "GATEWAY", false);
            return list;
        }

        private Group symbol(String symbol, String roundLot, String minPriceIncrement) {
            Group g = new quickfix.fix44.SecurityList.NoRelatedSym();
            g.setString(55, symbol);
            if (roundLot != null) g.setString(561, roundLot);
            if (minPriceIncrement != null) g.setString(FixTranslator.MIN_PRICE_INCREMENT, minPriceIncrement);
            return g;
        }
    }

    // ================================================================ helpers

    /** An ExecutionReport from the venue with the fields FIX 4.4 requires, for AAPL. */
    private static Message executionReport(String clOrdId, String orderId, String execId, char execType,
                                           char ordStatus, Side side, String cumQty, String leavesQty, String avgPx) {
        quickfix.fix44.ExecutionReport m = new quickfix.fix44.ExecutionReport();
        m.setString(37, orderId);
        m.setString(11, clOrdId);
        m.setString(17, execId);
        m.setChar(150, execType);
        m.setChar(39, ordStatus);
        m.setString(55, "AAPL");
        m.setChar(54, side == Side.BUY ? '1' : '2');
        m.setString(151, leavesQty);
        m.setString(14, cumQty);
        m.setString(6, avgPx);
        m.setUtcTimeStamp(60, LocalDateTime.of(2026, 11, 25, 10, 0, 1, 250_000_000), true);
        return m;
    }

    static void header(Message msg, String sender, String target, boolean possDup) {
        Message.Header h = msg.getHeader();
        h.setString(BeginString.FIELD, "FIX.4.4");
        h.setString(SenderCompID.FIELD, sender);
        h.setString(TargetCompID.FIELD, target);
        h.setInt(MsgSeqNum.FIELD, 7);
        h.setUtcTimeStamp(SendingTime.FIELD, LocalDateTime.of(2026, 11, 25, 10, 0, 1, 260_000_000), true);
        if (possDup) {
            h.setBoolean(PossDupFlag.FIELD, true);
            h.setUtcTimeStamp(122, LocalDateTime.of(2026, 11, 25, 10, 0, 1, 255_000_000), true); // OrigSendingTime
        }
    }

    /** The message as a session would see it: serialised, then parsed with the dictionary (groups and all). */
    static Message fromWire(Message msg) throws Exception {
        return MessageUtils.parse(new DefaultMessageFactory(), dictionary, msg.toString());
    }

    private static String msgType(Message msg) throws Exception {
        return msg.getHeader().getString(MsgType.FIELD);
    }

    private static List<String> fieldOfEach(List<Group> groups, int tag) {
        return groups.stream().map(g -> FixTranslator.optString(g, tag)).toList();
    }
}
