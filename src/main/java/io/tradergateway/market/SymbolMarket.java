package io.tradergateway.market;

import io.tradergateway.domain.FigureBounds;
import io.tradergateway.domain.Side;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything the gateway knows about one symbol's market: the last trade, one order book per venue and the rolling
 * trade window. Fed by {@link MarketBook#apply(MarketDataEvent)}; owned by the trading thread.
 * <p>
 * The last trade is the most recent print by trade time across venues (a late print from a slow venue does not
 * move it back). A snapshot's last-trade entry moves it too (if newer) but adds no volume.
 */
public final class SymbolMarket {

    private static final BigDecimal TWO = BigDecimal.valueOf(2);

    private final String symbol;
    private final MarketDataWindow window;
    private final Map<String, VenueBook> books = new TreeMap<>();
    private BigDecimal lastTradePrice;
    private Instant lastTradeTime;
    private String lastTradeVenue;
    /** Best bid, best offer and their mid across venues, worked out once per book change (null: to work out). */
    private Top top;

    private record Top(Optional<BookLevel> bid, Optional<BookLevel> offer, Optional<BigDecimal> mid) {
    }

    public SymbolMarket(String symbol) {
        this(symbol, MarketDataWindow.DEFAULT_LENGTH);
    }

    public SymbolMarket(String symbol, Duration windowLength) {
        this.symbol = Objects.requireNonNull(symbol, "symbol");
        this.window = new MarketDataWindow(windowLength);
    }

    public String symbol() {
        return symbol;
    }

    /** Applies an event about this symbol. */
    public void apply(MarketDataEvent event) {
        if (!symbol.equals(event.symbol())) {
            throw new IllegalArgumentException("event for " + event.symbol() + " applied to " + symbol);
        }
        if (event instanceof TradePrint print) {
            onTrade(print);
        } else if (event instanceof BookSnapshot snapshot) {
            book(snapshot.venue()).replace(snapshot.bids(), snapshot.offers(), snapshot.time());
            snapshot.lastTrade().ifPresent(this::moveLastPrice);
            top = null;
        } else if (event instanceof BookLevelUpdate update) {
            book(update.venue()).apply(update);
            top = null;
        }
    }

    private void onTrade(TradePrint print) {
        if (!FigureBounds.usablePrice(print.price())) return;
        window.onTrade(print.time(), print.price(), print.qty());
        moveLastPrice(print);
    }

    private void moveLastPrice(TradePrint print) {
        if (!FigureBounds.usablePrice(print.price())) return;
        if (lastTradeTime == null || !print.time().isBefore(lastTradeTime)) {
            lastTradePrice = print.price();
            lastTradeTime = print.time();
            lastTradeVenue = print.venue();
        }
    }

    private VenueBook book(String venue) {
        return books.computeIfAbsent(venue, VenueBook::new);
    }

    /** Empties a venue's book (its session went down: its quotes are no longer live). */
    public void clearVenue(String venue) {
        VenueBook book = books.get(venue);
        if (book != null) book.clear();
        top = null;
    }

    /** Venues that have sent a book for this symbol, in name order. */
    public Set<String> venues() {
        return Collections.unmodifiableSet(books.keySet());
    }

    /** A venue's book, if it has sent one. */
    public Optional<VenueBook> venueBook(String venue) {
        return Optional.ofNullable(books.get(venue));
    }

    public MarketDataWindow window() {
        return window;
    }

    public Optional<BigDecimal> lastTradePrice() {
        return Optional.ofNullable(lastTradePrice);
    }

    public Optional<Instant> lastTradeTime() {
        return Optional.ofNullable(lastTradeTime);
    }

    public Optional<String> lastTradeVenue() {
        return Optional.ofNullable(lastTradeVenue);
    }

    /**
     * The SPEC's {@code price}: the last trade price; with no trade yet, the mid of the best bid and the best offer
     * across venues (empty when there is no two-sided market anywhere).
     */
    public Optional<BigDecimal> price() {
        if (lastTradePrice != null) return Optional.of(lastTradePrice);
        return mid();
    }

    /** The mid of the best bid and the best offer across venues; empty without a two-sided market anywhere. */
    public Optional<BigDecimal> mid() {
        return top().mid();
    }

    /** The highest bid across venues. */
    public Optional<BookLevel> bestBid() {
        return top().bid();
    }

    /** The lowest offer across venues. */
    public Optional<BookLevel> bestOffer() {
        return top().offer();
    }

    private Top top() {
        Top t = top;
        if (t == null) {
            BookLevel bid = null;
            BookLevel offer = null;
            for (VenueBook book : books.values()) {
                Optional<Quote> quote = book.quote();
                if (quote.isEmpty()) continue;
                BookLevel b = quote.get().bid();
                BookLevel o = quote.get().offer();
                if (b != null && (bid == null || b.price().compareTo(bid.price()) > 0)) bid = b;
                if (o != null && (offer == null || o.price().compareTo(offer.price()) < 0)) offer = o;
            }
            Optional<BigDecimal> mid = bid != null && offer != null
                    ? Optional.of(bid.price().add(offer.price()).divide(TWO)) : Optional.empty();
            t = new Top(Optional.ofNullable(bid), Optional.ofNullable(offer), mid);
            top = t;
        }
        return t;
    }

    /** A venue's top of book; empty when the venue has no level on either side. */
    public Optional<Quote> bestBidOffer(String venue) {
        VenueBook book = books.get(venue);
        return book == null ? Optional.empty() : book.quote();
    }

    /**
     * Size available to an order of {@code side} at {@code venue} within the slippage allowance: a BUY takes offers
     * priced ≤ expectedPrice × (1 + maxSlippageFraction), a SELL takes bids priced ≥ expectedPrice ×
     * (1 − maxSlippageFraction). Zero for a venue without a book.
     */
    public BigDecimal depthWithin(String venue, Side side, BigDecimal expectedPrice, BigDecimal maxSlippageFraction) {
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(expectedPrice, "expectedPrice");
        Objects.requireNonNull(maxSlippageFraction, "maxSlippageFraction");
        if (maxSlippageFraction.signum() < 0) {
            throw new IllegalArgumentException("maxSlippageFraction must be >= 0, got " + maxSlippageFraction);
        }
        VenueBook book = books.get(venue);
        if (book == null) return BigDecimal.ZERO;
        BigDecimal depth = BigDecimal.ZERO;
        if (side == Side.BUY) {
            BigDecimal limit = expectedPrice.multiply(BigDecimal.ONE.add(maxSlippageFraction));
            for (BookLevel level : book.offers()) {
                if (level.price().compareTo(limit) <= 0) depth = depth.add(level.size());
            }
        } else {
            BigDecimal limit = expectedPrice.multiply(BigDecimal.ONE.subtract(maxSlippageFraction));
            for (BookLevel level : book.bids()) {
                if (level.price().compareTo(limit) >= 0) depth = depth.add(level.size());
            }
        }
        return depth;
    }

    /**
     * The expected average price of filling {@code qty} with an order of {@code side} at {@code venue}, walking the
     * book from the best level; empty when the book cannot fill all of it (see {@link #estimateFill} for a partial
     * answer).
     */
    public Optional<BigDecimal> vwapToFill(String venue, Side side, BigDecimal qty) {
        FillEstimate estimate = estimateFill(venue, side, qty);
        return estimate.complete() ? estimate.averagePrice() : Optional.empty();
    }

    /** Walks {@code venue}'s book from the best level for an order of {@code side} and {@code qty}. */
    public FillEstimate estimateFill(String venue, Side side, BigDecimal qty) {
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(qty, "qty");
        if (qty.signum() <= 0) throw new IllegalArgumentException("qty must be > 0, got " + qty);
        VenueBook book = books.get(venue);
        if (book == null) return new FillEstimate(qty, BigDecimal.ZERO, Optional.empty(), Optional.empty());
        // sorted again: positional updates trust the venue's order, the walk must not
        var levels = book.levelsTakenBy(side).stream()
                .filter(l -> l.size().signum() > 0)
                .sorted(side == Side.BUY ? VenueBook.OFFERS_BEST_FIRST : VenueBook.BIDS_BEST_FIRST)
                .toList();
        BigDecimal remaining = qty;
        BigDecimal cost = BigDecimal.ZERO;
        BigDecimal worst = null;
        for (BookLevel level : levels) {
            if (remaining.signum() <= 0) break;
            BigDecimal take = remaining.min(level.size());
            cost = cost.add(take.multiply(level.price()));
            remaining = remaining.subtract(take);
            worst = level.price();
        }
        BigDecimal filled = qty.subtract(remaining);
        Optional<BigDecimal> average = filled.signum() > 0
                ? Optional.of(cost.divide(filled, MathContext.DECIMAL128)) : Optional.empty();
        return new FillEstimate(qty, filled, average, Optional.ofNullable(worst));
    }
}
