package io.tradergateway.simvenue;

import quickfix.FieldNotFound;
import quickfix.Message;
import quickfix.field.AvgPx;
import quickfix.field.Commission;
import quickfix.field.CommType;
import quickfix.field.CumQty;
import quickfix.field.ExecID;
import quickfix.field.ExecType;
import quickfix.field.LastPx;
import quickfix.field.LastQty;
import quickfix.field.LeavesQty;
import quickfix.field.OrderID;
import quickfix.field.OrderQty;
import quickfix.field.Side;
import quickfix.field.Symbol;

import java.math.BigDecimal;

/**
 * A lie a misbehaving venue tells about a fill (tests script it with {@link SimVenue#lieBeforeNextFill}): a copy of the
 * true fill report, under its own ExecID, with one thing wrong. The hostile venue of issue 10 told each of these.
 */
public enum VenueLie {
    /** LastQty a thousand times the order's quantity. */
    OVERFILL,
    /** LastPx 0. */
    ZERO_PRICE,
    /** LastPx -190. */
    NEGATIVE_PRICE,
    /** The Side the other way. */
    FLIPPED_SIDE,
    /** Another Symbol (MSFT, or AAPL for an MSFT order). */
    OTHER_SYMBOL,
    /** A status answer (ExecType I) with CumQty five times the order's quantity and AvgPx 0. */
    STATUS_OVERFILL,
    /** An OrderID (37) holding a control character (U+0002), which the gateway cannot store. */
    CONTROL_CHARACTER_IN_ORDER_ID,
    /** A Commission (12) of 10^15, absolute: more than the fill is worth. */
    HUGE_COMMISSION,
    /** LastPx with 11 decimals, one more than the gateway keeps. */
    PRICE_WITH_ELEVEN_DECIMALS;

    /** The lying copy of {@code truth}, a FIX 4.4 fill ExecutionReport (150=F); {@code truth} is not changed. */
    Message applyTo(Message truth) throws FieldNotFound {
        Message m = (Message) truth.clone();
        m.setString(ExecID.FIELD, truth.getString(ExecID.FIELD) + "-LIE-" + name());
        BigDecimal orderQty = truth.getDecimal(OrderQty.FIELD);
        switch (this) {
            case OVERFILL -> m.setDecimal(LastQty.FIELD, orderQty.multiply(BigDecimal.valueOf(1000)));
            case ZERO_PRICE -> m.setDecimal(LastPx.FIELD, BigDecimal.ZERO);
            case NEGATIVE_PRICE -> m.setDecimal(LastPx.FIELD, new BigDecimal("-190"));
            case FLIPPED_SIDE -> m.setChar(Side.FIELD, truth.getChar(Side.FIELD) == Side.BUY ? Side.SELL : Side.BUY);
            case OTHER_SYMBOL -> m.setString(Symbol.FIELD, "MSFT".equals(truth.getString(Symbol.FIELD)) ? "AAPL" : "MSFT");
            case STATUS_OVERFILL -> {
                m.setChar(ExecType.FIELD, ExecType.ORDER_STATUS);
                m.removeField(LastQty.FIELD);
                m.removeField(LastPx.FIELD);
                m.removeField(Commission.FIELD);
                m.removeField(CommType.FIELD);
                m.setDecimal(CumQty.FIELD, orderQty.multiply(BigDecimal.valueOf(5)));
                m.setDecimal(LeavesQty.FIELD, BigDecimal.ZERO);
                m.setDecimal(AvgPx.FIELD, BigDecimal.ZERO);
            }
            case CONTROL_CHARACTER_IN_ORDER_ID -> m.setString(OrderID.FIELD, truth.getString(OrderID.FIELD) + "\u0002");
            case HUGE_COMMISSION -> {
                m.setDecimal(Commission.FIELD, BigDecimal.TEN.pow(15));
                m.setChar(CommType.FIELD, CommType.ABSOLUTE);
            }
            case PRICE_WITH_ELEVEN_DECIMALS -> m.setString(LastPx.FIELD,
                    truth.getDecimal(LastPx.FIELD).setScale(11).add(new BigDecimal("0.00000000001")).toPlainString());
        }
        return m;
    }
}
