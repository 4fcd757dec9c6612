"""Pure teaching models and rules: plain Python and NumPy, no ipywidgets, no matplotlib.

Each module is unit-tested on its own (tests/test_<module>.py); widgets call them.
``tests/test_layout.py`` fails if anything here imports widget or plotting code.

anatomy       canal size -> stenosis category (Kalichman, Schonstrom, Schizas)
diagnosis     likelihood ratios of bedside findings (Suri 2010)
outcomes      ODI change, minimal important change
crossover     intention-to-treat vs as-treated under crossover (SPORT-like)
trial_sim     simulated two-arm trials: placebo response, noise, sample size
sample_size   normal-approximation patients per arm
isct          the ISCT minimal criteria for MSCs
regulatory    which regulatory route a cell product takes (US, EU, Korea)
eligibility   synthetic vignettes against registered trials' criteria
"""
