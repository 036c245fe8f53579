//! PLACEHOLDER: the kube credential wire format.
