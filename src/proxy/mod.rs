//! kube-proxy. (Being written: see issue 3.)
