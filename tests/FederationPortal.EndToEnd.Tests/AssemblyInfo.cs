// Browser tests run one at a time: each class starts a portal and a Chromium, and the machines are small.
[assembly: Xunit.v3.Parallelization(Mode = Xunit.Sdk.ParallelMode.None)]
