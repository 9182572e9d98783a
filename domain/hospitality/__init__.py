"""The hospitality wing (HOSPITALITY ventures): hotels, their daily KPIs (form or CSV upload),
the venture's weighted HospitalityKpiDaily, guest reviews and disputes. See spec/operations.md."""
