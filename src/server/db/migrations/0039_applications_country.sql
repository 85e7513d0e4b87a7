-- An application keeps its applicant organisation's country, and international bodies have the
-- directory's country `INT` (0002_reference_data.sql): the two-letter check refused their
-- applications to offers open to every country. The country is now one the directory knows,
-- as organisations.country_code is. Relaxing only: code of the previous release never writes a
-- value the new rule refuses.
ALTER TABLE applications DROP CONSTRAINT applications_country_check;
ALTER TABLE applications ADD CONSTRAINT applications_country_fkey FOREIGN KEY (country) REFERENCES countries(code);
