//! caravan-net's one integration-test binary.

mod lan;
mod noise;
