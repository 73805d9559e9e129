package io.streamify.warehouse.rows;

import io.streamify.rows.Column.Doc;
import io.streamify.rows.Column.Nullable;
import io.streamify.rows.Column.Timestamp;
import io.streamify.rows.RowType;
import io.streamify.warehouse.rows.Declare.AcceptedValues;
import io.streamify.warehouse.rows.Declare.Key;
import io.streamify.warehouse.rows.Declare.Unique;
import io.streamify.warehouse.rows.Declare.Versions;

/**
 * A row of dim_users: one version of a user, type 2 on {@code level}. A fact's version is the one
 * whose {@code [rowActivation, rowExpiration)} holds the fact's time.
 */
@Versions(key = "userId", from = "rowActivation", to = "rowExpiration")
@Unique(
    value = {"userId", "rowActivation"},
    as = "(user_id, row_activation)")
public record DimUser(
    @Doc("The version's key: a hash of user_id and row_activation; 0 the unknown user") @Key
        long userKey,
    @Doc("eventsim's userId, the durable key facts refer to") long userId,
    @Doc("The first first name the user's events gave") @Nullable String firstName,
    @Doc("The first last name the user's events gave") @Nullable String lastName,
    @Doc("M or F, as eventsim gives it") @Nullable String gender,
    @Doc("When the user registered, UTC") @Timestamp @Nullable Long registration,
    @Doc("free or paid in this version; unknown for the unknown user")
        @AcceptedValues({"free", "paid", "unknown"})
        String level,
    @Doc("When the version took effect (inclusive), UTC") @Timestamp long rowActivation,
    @Doc("When the next version took effect (exclusive); 9999-12-31 for the current one") @Timestamp
        long rowExpiration,
    @Doc("Whether this is the user's current version") boolean isCurrent) {
  /** The row type: the table's schema and coder. */
  public static final RowType<DimUser> TYPE = RowType.of(DimUser.class, Namespace.WAREHOUSE);
}
