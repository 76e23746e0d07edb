German and French translations of every string of the add-on, `make i18n`, and an integrator tutorial whose code runs as a test. @compositepage
