package com.agentcostcontrol.router.pricing;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.sql.DataSource;

/**
 * Reads {@code model_prices} and {@code tenant_price_overrides} with plain JDBC, in one
 * repeatable-read transaction so both tables come from the same moment. Every row is validated
 * (non-negative prices, known mode, required prices present, positive limits); an invalid row is
 * reported in {@link LoadResult#rejected()} and skipped, the rest load.
 */
public final class PriceCatalogLoader implements PriceCatalogHolder.Source {

    private static final String PRICE_COLUMNS = Stream.of(PriceField.values()).map(PriceField::column)
            .collect(Collectors.joining(", "));
    private static final String CAPABILITY_COLUMNS = Stream.of(Capability.values()).map(Capability::column)
            .collect(Collectors.joining(", "));

    static final String MODELS_SQL = "SELECT model, provider, mode, " + PRICE_COLUMNS
            + ", context_window, max_output_tokens, " + CAPABILITY_COLUMNS + ", deprecation_date, source"
            + " FROM model_prices ORDER BY model";
    static final String OVERRIDES_SQL = "SELECT tenant_id::text AS tenant_id, model, " + PRICE_COLUMNS
            + " FROM tenant_price_overrides ORDER BY tenant_id, model";

    private final DataSource dataSource;

    public PriceCatalogLoader(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** What one load produced: the catalog and a line for every row that was skipped. */
    public record LoadResult(PriceCatalog catalog, List<String> rejected) {
        public LoadResult {
            rejected = List.copyOf(rejected);
        }
    }

    /**
     * @throws CatalogLoadException when the tables cannot be read, or not one model row is valid
     */
    @Override
    public LoadResult load() throws CatalogLoadException {
        List<String> rejected = new ArrayList<>();
        List<ModelPrice> models = new ArrayList<>();
        List<TenantPriceOverride> overrides = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            int isolation = c.getTransactionIsolation();
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                readModels(c, models, rejected);
                readOverrides(c, overrides, rejected);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setTransactionIsolation(isolation);
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new CatalogLoadException("cannot read the price catalog: " + e.getMessage(), e);
        }
        if (models.isEmpty()) {
            throw new CatalogLoadException("model_prices has no valid row (" + rejected.size() + " rejected)");
        }
        PriceCatalog catalog = PriceCatalog.of(models).withOverrides(overrides, rejected::add);
        return new LoadResult(catalog, rejected);
    }

    private static void readModels(Connection c, List<ModelPrice> out, List<String> rejected) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(MODELS_SQL); ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                String model = rs.getString("model");
                try {
                    String modeText = rs.getString("mode");
                    Mode mode = Mode.parse(modeText).orElseThrow(() -> new IllegalArgumentException(
                            "unknown mode '" + modeText + "' (known: chat, embedding, completion, responses)"));
                    ModelPrice.Builder b = ModelPrice.builder(model, rs.getString("provider"), mode)
                            .contextWindow(intOrNull(rs, "context_window"))
                            .maxOutputTokens(intOrNull(rs, "max_output_tokens"))
                            .deprecationDate(rs.getObject("deprecation_date", LocalDate.class))
                            .source(rs.getString("source"));
                    prices(rs).forEach(b::price);
                    for (Capability cap : Capability.values()) {
                        if (rs.getBoolean(cap.column())) {
                            b.capability(cap);
                        }
                    }
                    out.add(b.build());
                } catch (IllegalArgumentException e) {
                    rejected.add("model_prices '" + model + "' skipped: " + e.getMessage());
                }
            }
        }
    }

    private static void readOverrides(Connection c, List<TenantPriceOverride> out, List<String> rejected)
            throws SQLException {
        try (PreparedStatement q = c.prepareStatement(OVERRIDES_SQL); ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                String tenant = rs.getString("tenant_id");
                String model = rs.getString("model");
                try {
                    out.add(new TenantPriceOverride(tenant, model, prices(rs)));
                } catch (IllegalArgumentException e) {
                    rejected.add("tenant_price_overrides (" + tenant + ", '" + model + "') skipped: " + e.getMessage());
                }
            }
        }
    }

    private static Map<PriceField, BigDecimal> prices(ResultSet rs) throws SQLException {
        Map<PriceField, BigDecimal> prices = new EnumMap<>(PriceField.class);
        for (PriceField f : PriceField.values()) {
            BigDecimal v = rs.getBigDecimal(f.column());
            if (v != null) {
                prices.put(f, v);
            }
        }
        return prices;
    }

    private static Integer intOrNull(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }
}
