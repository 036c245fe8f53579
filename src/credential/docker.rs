//! PLACEHOLDER: the docker credential wire format.
