"""Screens feature ideas for the CTR benchmark with scikit-learn, by 5-fold cross-validation over
the TRAINING rows only (the same contiguous folds as bench/ctr/tune.ts; test rows are never read).
Tokens are those of ../shared/anchors/ctr_anchor.py (every field categorical, one token field=value).
Usage (Debian's python3 with python3-sklearn):
  /usr/bin/python3 bench/ctr/screen_sklearn.py liblinear adkdd21      # L2-LR (liblinear), C grid
  /usr/bin/python3 bench/ctr/screen_sklearn.py crosses adkdd21 [C]    # + top-K field-pair crosses by MI gain
  /usr/bin/python3 bench/ctr/screen_sklearn.py counts adkdd21 [C]     # + a log2-count bucket token per token
  /usr/bin/python3 bench/ctr/screen_sklearn.py hgb adkdd21            # histogram gradient boosting
Counts, mutual information and category codes are computed on each fold's fitting rows only.
"""
import gzip, math, os, sys, time
from collections import Counter, defaultdict
import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score, log_loss

D = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'shared', 'datasets', 'ctr')

# Tokenisers: as in ../shared/anchors/ctr_anchor.py.
def tokens_adkdd(d):
    with gzip.open(f"{d}/X_train.csv.gz", "rt") as fx, gzip.open(f"{d}/y_train.csv.gz", "rt") as fy:
        next(fx); next(fy)
        for i, (x, y) in enumerate(zip(fx, fy)):
            vals = x.strip().split(",")
            yield (i % 5 == 0), int(float(y.split(",")[0])), [f"{k}={v}" for k, v in enumerate(vals)]

def tokens_libfm(path, is_test):
    with open(path) as f:
        for line in f:
            p = line.split()
            yield is_test, 1 if float(p[0]) > 0 else 0, [q.split(":")[0] for q in p[1:]]

def tokens_frappe(d):
    yield from tokens_libfm(f"{d}/frappe.validation.libfm", False)
    yield from tokens_libfm(f"{d}/frappe.test.libfm", True)

def crit_tok(j, v):
    if v == "": return f"I{j}=NA"
    v = int(v)
    return f"I{j}={v if v <= 2 else int(math.floor(math.log(v) ** 2))}"

def tokens_criteo(d):
    for name, is_test in (("train.csv", False), ("dev.csv", True), ("test.csv", True)):
        with open(f"{d}/{name}") as f:
            for line in f:
                p = line.rstrip("\n").split("\t")
                toks = [crit_tok(j, p[j]) for j in range(1, 14)]
                toks += [f"C{j-13}={p[j] or 'NA'}" for j in range(14, 40)]
                yield is_test, int(p[0]), toks

def train_rows(name):
    g = {'adkdd21': lambda: tokens_adkdd(f'{D}/criteo-adkdd21'), 'frappe': lambda: tokens_frappe(f'{D}/frappe'), 'criteo8k': lambda: tokens_criteo(f'{D}/criteo')}[name]()
    return [(y, toks) for test, y, toks in g if not test]

def mat(tok_lists):
    vocab, r, c = {}, [], []
    for i, t in enumerate(tok_lists):
        for s in t:
            r.append(i); c.append(vocab.setdefault(s, len(vocab)))
    return csr_matrix((np.ones(len(r)), (r, c)), shape=(len(tok_lists), len(vocab)))

def folds_of(n, k=5):
    for f in range(k):
        lo, hi = f * n // k, (f + 1) * n // k
        yield [i for i in range(n) if i < lo or i >= hi], np.arange(lo, hi)

def cv_lr(R, ys, C, feat_builder):
    """feat_builder(fit_rows) -> (tokens -> tokens); returns the fold-mean AUC and log-loss."""
    res = []
    for tr, te in folds_of(len(R)):
        fx = feat_builder(tr)
        X = mat([fx(t) for _, t in R])
        m = LogisticRegression(C=C, solver='liblinear').fit(X[np.array(tr)], ys[tr])
        p = m.predict_proba(X[te])[:, 1]
        res.append((roc_auc_score(ys[te], p), log_loss(ys[te], p)))
    return np.mean(res, 0)

def mi(vals, y, minc=5):
    """Plug-in mutual information of a categorical column with the label (values seen < minc times merged)."""
    c = Counter(vals); cy = Counter(v for v, l in zip(vals, y) if l)
    N = len(vals); P = sum(y); m = 0.0
    merged = defaultdict(lambda: [0, 0])
    for v, k in c.items():
        key = v if k >= minc else '__rare'
        merged[key][0] += k; merged[key][1] += cy.get(v, 0)
    for key, (k, kp) in merged.items():
        for cnt, tot in ((kp, P), (k - kp, N - P)):
            if cnt > 0: m += cnt / N * math.log(cnt * N / (k * tot))
    return m

def pairs_by_mi(R, ys, idx):
    F = len(R[0][1]); y = [ys[i] for i in idx]
    single = [mi([R[i][1][a] for i in idx], y) for a in range(F)]
    sc = []
    for a in range(F):
        for b in range(a + 1, F):
            sc.append((mi([R[i][1][a] + '|' + R[i][1][b] for i in idx], y) - max(single[a], single[b]), a, b))
    sc.sort(reverse=True)
    return sc

def main():
    mode, name = sys.argv[1], sys.argv[2]
    C = float(sys.argv[3]) if len(sys.argv) > 3 else 0.1
    R = train_rows(name); ys = np.array([y for y, _ in R])
    t0 = time.time()
    if mode == 'liblinear':
        for c in (0.03, 0.1, 0.3, 1):
            print(name, 'liblinear C', c, '%.4f / %.4f' % tuple(cv_lr(R, ys, c, lambda tr: (lambda t: t))), flush=True)
    elif mode == 'crosses':
        for K in (3, 6, 10, 20):
            def build(tr, K=K):
                top = pairs_by_mi(R, ys, tr)[:K]
                return lambda t: t + [f'{a}x{b}={t[a]}|{t[b]}' for _, a, b in top]
            print(name, 'C', C, 'crosses K', K, '%.4f / %.4f' % tuple(cv_lr(R, ys, C, build)), flush=True)
    elif mode == 'counts':
        def build(tr):
            cnt = Counter(s for i in tr for s in R[i][1])
            return lambda t: t + [f'{s.split("=")[0]}#c{min(int(math.log2(cnt.get(s, 0) + 1)), 20)}' for s in t]
        print(name, 'C', C, 'counts', '%.4f / %.4f' % tuple(cv_lr(R, ys, C, build)), flush=True)
    elif mode == 'hgb':
        from sklearn.ensemble import HistGradientBoostingClassifier
        F = len(R[0][1]); res = []
        for tr, te in folds_of(len(R)):
            # Each field: its 250 most frequent fitting-row values as categories (else 250), plus the value's fitting-row count.
            X = np.zeros((len(R), 2 * F))
            for j in range(F):
                c = Counter(R[i][1][j] for i in tr)
                top = {v: k for k, (v, _) in enumerate(c.most_common(250))}
                for i, (_, t) in enumerate(R):
                    X[i, j] = top.get(t[j], 250); X[i, F + j] = c.get(t[j], 0)
            m = HistGradientBoostingClassifier(categorical_features=list(range(F)), max_iter=300, learning_rate=0.05, early_stopping=True,
                                               validation_fraction=0.15, random_state=0, l2_regularization=1.0, max_leaf_nodes=31)
            m.fit(X[np.array(tr)], ys[tr]); p = m.predict_proba(X[te])[:, 1]
            res.append((roc_auc_score(ys[te], p), log_loss(ys[te], p)))
        print(name, 'hgb', '%.4f / %.4f' % tuple(np.mean(res, 0)), flush=True)
    else:
        sys.exit(f'unknown mode {mode}')
    print(f'({time.time() - t0:.0f} s)')

if __name__ == '__main__':
    main()
