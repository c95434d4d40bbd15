#!/usr/bin/python3
"""Golden values for TrainWatt.Estimation tests, computed with Debian's scikit-learn on small synthetic data.

Run with Debian's interpreter (apt-get install -y python3-sklearn):  /usr/bin/python3 make_golden.py
Writes sklearn-golden.json next to this script. No journal rows are used.
"""
import json
import os

import numpy as np
import sklearn
from sklearn.kernel_ridge import KernelRidge
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.metrics import mean_absolute_error, mean_absolute_percentage_error, mean_squared_error, r2_score
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVR

rng = np.random.default_rng(20261124)
n, p = 40, 4
X = rng.normal(size=(n, p)) * np.array([1.0, 5.0, 0.2, 3.0]) + np.array([0.0, 10.0, -1.0, 2.0])
y = 3.0 + X @ np.array([1.5, -0.4, 2.0, 0.7]) + np.sin(X[:, 0] * 2.0) + rng.normal(scale=0.3, size=n) + 20.0
Xq = rng.normal(size=(8, p)) * np.array([1.0, 5.0, 0.2, 3.0]) + np.array([0.0, 10.0, -1.0, 2.0])
# Rank-deficient copy: last column repeats the first (as image height = width in PRE data).
Xr = np.column_stack([X, X[:, 0]])
Xrq = np.column_stack([Xq, Xq[:, 0]])

scaler = StandardScaler().fit(X)
Z, Zq = scaler.transform(X), scaler.transform(Xq)

out = {"sklearn_version": sklearn.__version__, "X": X.tolist(), "y": y.tolist(), "Xq": Xq.tolist()}
out["scaler"] = {"mean": scaler.mean_.tolist(), "scale": scaler.scale_.tolist()}

ridge = Ridge(alpha=0.7).fit(Z, y)
out["ridge"] = {"alpha": 0.7, "coef": ridge.coef_.tolist(), "intercept": float(ridge.intercept_), "pred": ridge.predict(Zq).tolist()}

ols = LinearRegression().fit(Xr, y)
out["ols_rank_deficient"] = {"coef": ols.coef_.tolist(), "intercept": float(ols.intercept_), "pred": ols.predict(Xrq).tolist()}

krr = KernelRidge(alpha=0.05, kernel="rbf", gamma=0.3).fit(Z, y)
out["krr"] = {"alpha": 0.05, "gamma": 0.3, "dual_coef": krr.dual_coef_.tolist(), "pred": krr.predict(Zq).tolist()}

# Duplicated rows (each of the first 10 rows three times with different targets): KRR on all rows.
Zd = np.vstack([Z[:10]] * 3)
yd = np.concatenate([y[:10], y[:10] + 1.0, y[:10] - 0.5])
krrd = KernelRidge(alpha=0.05, kernel="rbf", gamma=0.3).fit(Zd, yd)
out["krr_duplicates"] = {"alpha": 0.05, "gamma": 0.3, "y": yd.tolist(), "pred": krrd.predict(Zq).tolist()}

svr = SVR(kernel="rbf", C=10.0, epsilon=0.2, gamma=0.3, tol=1e-6).fit(Z, y)
out["svr"] = {"C": 10.0, "epsilon": 0.2, "gamma": 0.3, "tol": 1e-6, "intercept": float(svr.intercept_[0]),
              "n_support": int(len(svr.support_)), "pred": svr.predict(Zq).tolist()}

actual = y[:12]
pred = y[:12] + rng.normal(scale=2.0, size=12)
out["metrics"] = {"actual": actual.tolist(), "predicted": pred.tolist(),
                  "r2": r2_score(actual, pred), "mape_fraction": mean_absolute_percentage_error(actual, pred),
                  "rmse": float(np.sqrt(mean_squared_error(actual, pred))), "mae": mean_absolute_error(actual, pred)}

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sklearn-golden.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print("wrote", path)
