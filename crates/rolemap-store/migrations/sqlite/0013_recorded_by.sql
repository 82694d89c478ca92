-- Who recorded an assessment: the signed-in user whose request stored it. Null for imports and
-- the command line (the operator's tool), and for everything stored before accounts.
ALTER TABLE assessments ADD COLUMN recorded_by INTEGER REFERENCES users (id);
