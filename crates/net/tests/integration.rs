//! caravan-net's one integration-test binary.

mod noise;
