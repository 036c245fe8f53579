//! PLACEHOLDER: the git credential wire format.
